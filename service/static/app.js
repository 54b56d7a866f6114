// mrv-engine's web page: a form rendered from the engine's JSON Schema (GET /forms/{sector}),
// checked as the user types (POST /validate), calculated, explained figure by figure, verified.
//
// A small renderer of our own rather than a JSON-schema form library: a page is a table of rows
// (a power plant's year is 12 months x 20 fuels = 240 rows), rendered as one HTML string per page
// and handled by one delegated listener, where generic renderers build a fieldset per array item
// and re-render the form on every keystroke; the form's x-unit-by (a unit that follows the fuel),
// a unit per figure that the engine converts exactly, and findings placed by their JSON paths are
// ours to show anyway. Figures stay text from input to request: a JSON number is never parsed
// into a binary float here (loaded files have their numbers quoted before JSON.parse).
"use strict";

const TEXT = {
  zh: {
    title: "温室气体排放核算与核查", sector: "行业", year: "报告年度", lang: "语言", load: "载入 JSON", save: "保存 JSON",
    calculate: "计算", verify: "核查", report: "计算结果", verification: "核查报告",
    hint: "按页面逐行填报；数值以字段单位填写，或在单位栏填写其他单位（如 kJ/kg），由引擎精确换算。输入时即检查。",
    enterprise: "企业", name: "企业名称", credit_code: "统一社会信用代码", province: "省份",
    parameters: "参数", needed: "本年度须填报的参数", optional: "规则参数（可选：填报值将替代规则值并在说明中标注）",
    add: "＋ 增加一行", remove: "删除此行", rows: "行", computed: "计算值",
    loading: "正在载入表单…", checking: "正在检查…", valid: "检查通过", invalid: (n) => `${n} 处问题`,
    calculating: "正在计算…", calculated: "计算完成", refused: "数据未通过检查，见各字段旁的说明",
    verifying: "正在核查…", verified: "核查完成", html: "下载 HTML 核查报告", loaded: (n) => `已载入 ${n}`,
    total: "排放总量", category: "排放类别", share: "比例(%)", gas: "气体", mass: "质量", emissions: "各排放源排放量",
    page: "页面", row: "行", figure: "数值", pages: "各页面计算结果", summaries: "汇总",
    formula: "公式", operands: "参数与来源", value: "数值", unit: "单位", source: "来源", rounding: "修约",
    condition: "适用条件", citation: "依据", original: "换算自", unverified: "未经核实",
    severity: "严重程度", place: "位置", message: "说明", counts: "发现",
    error: "错误", must_correct: "须整改", warning: "警告", observation: "观察",
    energy_direct_stationary: "能源直接固定排放", energy_direct_mobile: "能源直接移动排放",
    energy_indirect: "能源间接排放", process: "工艺过程排放", failed: "请求失败",
    click: "点击数值查看计算说明", reported: "报告值", recomputed: "复算值", difference: "差值",
    comply: "配额与清缴", compliance: "配额分配与履约清缴", comply_run: "计算配额与清缴", complying: "正在计算配额与清缴…",
    complied: "配额与清缴已计算", held: "持有的当年度配额（可空：按方案计算的配额）", ccer: "持有的CCER", banked: "以前年度结转配额",
    net_sold: "2019年以来净卖出配额（结转上限用）",
    supplied: "方案未给出的取值，每行一个：名称.类别=数值（如 b_gen.coal_300_below=0.8049），在计算过程中标注为调用方提供",
    plan: "配额分配方案", unit_col: "机组", pre: "预分配", allowance: "配额量", verified_emissions: "经核查排放量",
    obligation: "清缴", to_buy: "尚需购买的配额", surplus: "盈余配额", rules: "方案规则", applied: "已适用", not_applied: "未触发",
    deadline: "清缴期限", unverified_items: "未核实的方案取值与公式", no_compliance: "无法计算配额", steps: "由以下数值算得", sum: "合计", unit_category: "机组类别",
  },
  en: {
    title: "GHG accounting and verification", sector: "Sector", year: "Reporting year", lang: "Language", load: "Load JSON",
    save: "Save JSON", calculate: "Calculate", verify: "Verify", report: "Report", verification: "Verification report",
    hint: "Fill each page row by row; give figures in the field's unit, or type another unit (e.g. kJ/kg) beside them: the engine converts it exactly. Checked as you type.",
    enterprise: "Enterprise", name: "Name", credit_code: "Unified social credit code", province: "Province",
    parameters: "Parameters", needed: "Parameters this year needs", optional: "Rule parameters (optional: a supplied value replaces the rules' and is marked in the trace)",
    add: "+ Add a row", remove: "Remove this row", rows: "rows", computed: "computed",
    loading: "Loading the form…", checking: "Checking…", valid: "No findings", invalid: (n) => `${n} finding(s)`,
    calculating: "Calculating…", calculated: "Calculated", refused: "The data were refused: see the notes beside the fields",
    verifying: "Verifying…", verified: "Verified", html: "Download the HTML verification report", loaded: (n) => `Loaded ${n}`,
    total: "Total", category: "Category", share: "Share (%)", gas: "Gas", mass: "Mass", emissions: "Emissions by source",
    page: "Page", row: "Row", figure: "Figure", pages: "Results by page", summaries: "Summaries",
    formula: "Formula", operands: "Operands and sources", value: "Value", unit: "Unit", source: "Source", rounding: "Rounding",
    condition: "Case", citation: "Source", original: "converted from", unverified: "unverified",
    severity: "Severity", place: "Place", message: "Message", counts: "Findings",
    error: "error", must_correct: "must correct", warning: "warning", observation: "observation",
    energy_direct_stationary: "Direct, stationary combustion", energy_direct_mobile: "Direct, mobile combustion",
    energy_indirect: "Indirect (electricity and heat)", process: "Process", failed: "Request failed",
    click: "Click a figure to see how it was computed", reported: "Reported", recomputed: "Recomputed", difference: "Difference",
    comply: "Allowances & surrender", compliance: "Allocation and surrender", comply_run: "Compute allocation and surrender",
    complying: "Computing the allocation and the obligation…", complied: "Allocation and obligation computed",
    held: "Allowances held for the year (empty: the plan's allocation)", ccer: "CCER held", banked: "Banked allowances",
    net_sold: "Net allowances sold since 2019 (for the banking cap)",
    supplied: "Figures the plan does not give, one a line: NAME.CATEGORY=VALUE (e.g. b_gen.coal_300_below=0.8049), marked as supplied in the trace",
    plan: "Allocation plan", unit_col: "Unit", pre: "Pre-allocation", allowance: "Allowance", verified_emissions: "Verified emissions",
    obligation: "Surrender", to_buy: "Allowances still to buy", surplus: "Surplus allowances", rules: "The plan's rules",
    applied: "applied", not_applied: "not triggered", deadline: "Surrender deadline", unverified_items: "Unverified plan figures and formulas",
    no_compliance: "The allocation cannot be computed", steps: "Computed from", sum: "Total", unit_category: "Unit category",
  },
};

// Where an operand's value came from (the trace's KIND_TEXT), as the text trace words it.
const KIND = {
  input: ["填报值", "input"], measured: ["实测值", "measured"], supplier: ["供应商数据", "supplier data"],
  calculated: ["计算值（填报）", "calculated by the reporter"], estimated: ["估算值", "estimated"],
  default: ["缺省值", "ruleset default"], substituted: ["替代值", "substituted"], parameter: ["规则参数", "ruleset parameter"],
  submission: ["报告方提供的参数", "supplied by the submission"], computed: ["计算值", "computed"],
};

// Units people commonly write for a field's unit; the engine accepts any of the same dimension.
const UNIT_HINTS = {
  "t": ["kg", "万t"], "GJ/t": ["kJ/kg", "MJ/kg", "kcal/kg", "MJ/t"], "tCO2/GJ": ["kgCO2/TJ", "tCO2/TJ", "kgCO2/GJ"],
  "tC/GJ": ["tC/TJ", "kgC/GJ"], "MWh": ["kWh", "万kWh"], "GJ": ["MJ", "TJ"], "%": ["1"], "1": ["%"],
  "tCO2/MWh": ["kgCO2/kWh"], "tCO2/t": ["kgCO2/t"],
};

const $ = (sel) => document.querySelector(sel);
const esc = (s) => String(s ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" }[c]));

const state = {
  lang: "zh", sector: null, year: null, form: null, sectors: [],
  doc: { enterprise: {}, parameters: {}, pages: {} },
  cells: new Map(), // JSON path -> <td>, rebuilt on render
  marked: [], seq: 0, timer: null, report: null,
  planNodes: new Map(), // place -> trace node of the last allocation or surrender shown
};

function t(key, ...args) {
  const v = TEXT[state.lang][key];
  return typeof v === "function" ? v(...args) : v ?? key;
}

function status(text, kind = "") {
  const el = $("#status");
  el.textContent = text;
  el.className = kind;
}

async function api(method, path, body) {
  const init = { method, headers: {} };
  if (body !== undefined) {
    init.body = typeof body === "string" ? body : JSON.stringify(body);
    init.headers["Content-Type"] = "application/json";
  }
  const r = await fetch(path, init);
  const type = r.headers.get("content-type") || "";
  const data = type.includes("json") ? await r.json() : await r.text();
  return { ok: r.ok, status: r.status, data };
}

// -- reading the form ------------------------------------------------------------------

function resolve(schema) {
  while (schema && schema.$ref) {
    const name = schema.$ref.split("/").pop();
    schema = { ...state.form.$defs[name], ...schema, $ref: undefined };
  }
  return schema;
}

function kindOf(schema) {
  if (Array.isArray(schema.oneOf) && schema.oneOf.every((o) => "const" in o)) return "choice";
  if (schema.type === "number" || schema.type === "integer") return "number";
  return "text";
}

function pageSchema(pid) { return state.form.properties.pages.properties[pid]; }

function unitOf(schema, row) {
  if (schema["x-unit"]) return schema["x-unit"];
  const by = schema["x-unit-by"];
  if (by) {
    const choice = row && row[by.field];
    return (choice && by.units[choice]) || Object.values(by.units).filter((v, i, a) => a.indexOf(v) === i).join(" / ");
  }
  return "";
}

// -- the model: rows of cells, figures as {v, u, extra} of text -------------------------

function cellFrom(value) {
  if (value === undefined || value === null) return { v: "", u: "" };
  if (Array.isArray(value)) return { raw: value, v: "", u: "" };
  if (typeof value === "object") {
    const { value: v, unit, ...extra } = value;
    return { v: String(v ?? ""), u: unit || "", extra };
  }
  return { v: String(value), u: "" };
}

function rowFrom(pid, raw) {
  const props = resolve(pageSchema(pid)).items.properties;
  const row = {};
  for (const [fid, s] of Object.entries(props)) {
    const k = kindOf(resolve(s));
    const given = raw[fid] === undefined ? (s.default ?? "") : raw[fid]; // a choice's default, as the engine takes it
    row[fid] = k === "number" ? cellFrom(raw[fid]) : String(given);
  }
  for (const [k, v] of Object.entries(raw)) if (!(k in props)) row[k] = v; // kept: the engine will name it
  return row;
}

function figureOut(cell) {
  if (!cell || typeof cell !== "object" || !("v" in cell)) return cell;
  if (cell.raw) return cell.raw;
  const v = cell.v.trim();
  if (v === "") return undefined;
  const extra = cell.extra || {};
  if (cell.u.trim() || Object.keys(extra).length) return { value: v, ...(cell.u.trim() ? { unit: cell.u.trim() } : {}), ...extra };
  return v;
}

function submission() {
  const doc = { sector: state.sector, year: state.year, pages: {} };
  const ent = Object.fromEntries(Object.entries(state.doc.enterprise).filter(([, v]) => v && v.trim()));
  if (Object.keys(ent).length) doc.enterprise = ent;
  const params = {};
  for (const [name, cell] of Object.entries(state.doc.parameters)) {
    const out = figureOut(cell);
    if (out !== undefined) params[name] = out;
  }
  if (Object.keys(params).length) doc.parameters = params;
  for (const [pid, rows] of Object.entries(state.doc.pages)) {
    if (!rows.length) continue;
    doc.pages[pid] = rows.map((row) => {
      const out = {};
      for (const [fid, val] of Object.entries(row)) {
        const o = typeof val === "object" && val !== null && "v" in val ? figureOut(val) : val === "" ? undefined : val;
        if (o !== undefined) out[fid] = o;
      }
      return out;
    });
  }
  for (const extra of ["calorie", "reported", "plan", "previous_plan", "evidence", "ruleset"]) {
    if (state.doc[extra] !== undefined) doc[extra] = state.doc[extra];
  }
  return doc;
}

// A JSON number with a fraction or exponent in a loaded file becomes its text before JSON.parse,
// so no figure is ever a binary float; whole numbers JavaScript holds exactly (years, months) stay numbers.
function parseExact(text) {
  const quoted = text.replace(/("(?:[^"\\]|\\.)*")|(-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)/g,
    (m, s, n) => (s ? s : /^-?\d{1,15}$/.test(n) ? n : `"${n}"`));
  return JSON.parse(quoted);
}

// -- rendering ----------------------------------------------------------------------------

function translate() {
  document.documentElement.lang = state.lang;
  for (const el of document.querySelectorAll("[data-t]")) el.textContent = t(el.dataset.t);
}

function cellHtml(pid, i, fid, schema, row) {
  const path = `$.pages.${pid}[${i}].${fid}`;
  const s = resolve(schema);
  const k = kindOf(s);
  const val = row[fid];
  let control;
  if (k === "choice") {
    const opts = s.oneOf.map((o) => `<option value="${esc(o.const)}"${o.const === val ? " selected" : ""}>${esc(o.title)}</option>`).join("");
    control = `<select data-f="${fid}" aria-label="${esc(s.title)}"><option value=""></option>${opts}</select>`;
  } else if (k === "number") {
    const unit = unitOf(s, row);
    const cell = val || { v: "", u: "" };
    const ro = cell.raw ? ` disabled value="${esc(cell.raw.map((a) => `${a.value} (${a.basis})`).join("; "))}"` : ` value="${esc(cell.v)}"`;
    const hints = UNIT_HINTS[unit] ? ` list="u-${esc(unit)}"` : "";
    // a count (months, units sharing a meter) has no unit to choose
    const unitInput = s.type === "integer" ? "" : `<input class="unit" data-f="${fid}" data-p="u" placeholder="${esc(unit)}" value="${esc(cell.u)}" aria-label="${esc(s.title)} unit"${hints}>`;
    control = `<span class="fig"><input class="num" data-f="${fid}" data-p="v" inputmode="${s.type === "integer" ? "numeric" : "decimal"}" aria-label="${esc(s.title)}"${ro}>${unitInput}</span>`;
  } else {
    control = `<input data-f="${fid}" value="${esc(val)}" aria-label="${esc(s.title)}">`;
  }
  return `<td data-path="${esc(path)}">${control}<div class="msg"></div></td>`;
}

function rowHtml(pid, i, row, props, computed) {
  let html = `<tr data-i="${i}"><td class="idx">${i + 1}</td>`;
  for (const [fid, s] of Object.entries(props)) html += cellHtml(pid, i, fid, s, row);
  for (const cid of Object.keys(computed)) html += `<td class="computed" data-path="$.pages.${pid}[${i}].${cid}"></td>`;
  return html + `<td><button class="rm" title="${esc(t("remove"))}">×</button></td></tr>`;
}

function pageHtml(pid) {
  const page = pageSchema(pid);
  const props = page.items.properties;
  const required = new Set(page.items.required || []);
  const computed = page["x-computed"] || {};
  const rows = state.doc.pages[pid] || [];
  const head = Object.entries(props).map(([fid, s]) => `<th class="${required.has(fid) ? "req" : ""}" title="${esc(resolve(s).description || "")}">${esc(s.title || fid)}</th>`).join("")
    + Object.values(computed).map((c) => `<th class="computed" title="${esc(t("computed"))}">${esc(c.title)}${c["x-unit"] ? ` (${esc(c["x-unit"])})` : ""}</th>`).join("");
  const body = rows.map((row, i) => rowHtml(pid, i, row, props, computed)).join("");
  return `<section class="page role-${esc(page["x-role"])}" data-page="${esc(pid)}" data-path="$.pages.${esc(pid)}">
    <h3>${esc(page.title)} <span class="badge">${esc(page["x-role"])}</span> <span class="count">${rows.length} ${esc(t("rows"))}</span></h3>
    ${page.description ? `<p class="desc">${esc(page.description)}</p>` : ""}
    <div class="msg page-msg"></div>
    <div class="table-wrap"><table><thead><tr><th>#</th>${head}<th></th></tr></thead><tbody>${body}</tbody></table></div>
    <button class="add">${esc(t("add"))}</button></section>`;
}

function envelopeHtml() {
  const ent = state.doc.enterprise;
  const params = state.form.properties.parameters;
  const needed = new Set(params["x-needed"] || []);
  const paramRow = (name, p) => {
    const cell = state.doc.parameters[name] || { v: "", u: "" };
    return `<label data-path="$.parameters.${esc(name)}"><span>${esc(p.title)}</span>
      <span class="fig"><input class="num" data-param="${esc(name)}" data-p="v" value="${esc(cell.v)}" inputmode="decimal">
      <input class="unit" data-param="${esc(name)}" data-p="u" value="${esc(cell.u)}" placeholder="${esc(p["x-unit"] || "")}"></span>
      <small>${esc(p.description || "")}</small><div class="msg"></div></label>`;
  };
  const entries = Object.entries(params.properties);
  const need = entries.filter(([n]) => needed.has(n)).map(([n, p]) => paramRow(n, p)).join("");
  const opt = entries.filter(([n]) => !needed.has(n)).map(([n, p]) => paramRow(n, p)).join("");
  const datalists = Object.entries(UNIT_HINTS).map(([u, list]) => `<datalist id="u-${esc(u)}">${[u, ...list].map((x) => `<option value="${esc(x)}">`).join("")}</datalist>`).join("");
  return `<fieldset class="enterprise"><legend>${esc(t("enterprise"))}</legend>
      ${["name", "credit_code", "province"].map((k) => `<label><span>${esc(t(k))}</span><input data-ent="${k}" value="${esc(ent[k] || "")}"></label>`).join("")}
    </fieldset>
    ${need ? `<fieldset class="params needed"><legend>${esc(t("needed"))}</legend>${need}</fieldset>` : ""}
    ${opt ? `<details class="params"><summary>${esc(t("optional"))}</summary>${opt}</details>` : ""}${datalists}`;
}

function render() {
  const started = performance.now();
  translate();
  $("#envelope").innerHTML = envelopeHtml();
  $("#pages").innerHTML = state.form["x-page-order"].map(pageHtml).join("");
  indexCells();
  state.marked = [];
  window.mrvRenderMs = performance.now() - started; // read by the browser test
}

function indexCells() {
  state.cells = new Map();
  for (const el of document.querySelectorAll("[data-path]")) state.cells.set(el.dataset.path, el);
}

function rerenderPage(pid) {
  const old = document.querySelector(`section.page[data-page="${CSS.escape(pid)}"]`);
  const tmp = document.createElement("div");
  tmp.innerHTML = pageHtml(pid);
  old.replaceWith(tmp.firstElementChild);
  indexCells();
}

// -- findings beside their fields -----------------------------------------------------------

function clearMarks() {
  for (const el of state.marked) {
    el.classList.remove("bad", "warn");
    const msg = el.querySelector(":scope > .msg");
    if (msg) msg.textContent = "";
  }
  state.marked = [];
  $("#findings-general").innerHTML = "";
}

function findingText(f) { return (state.lang === "zh" && f.message_zh) || f.message; }

function mark(findings) {
  clearMarks();
  const general = [];
  for (const f of findings) {
    let el = state.cells.get(f.place);
    if (!el) { // a row or a page: the nearest element that has a place
      const m = /^(\$\.pages\.[A-Za-z0-9_]+)(\[\d+\])?/.exec(f.place || "");
      if (m && m[2]) el = state.cells.get(`${m[1]}${m[2]}.${Object.keys(pageSchema(m[1].slice(8))?.items.properties || {})[0]}`);
      if (!el && m) el = state.cells.get(m[1]);
    }
    if (el) {
      el.classList.add(f.severity === "error" ? "bad" : "warn");
      const msg = el.querySelector(":scope > .msg") || el.querySelector(".msg");
      if (msg) msg.textContent = (msg.textContent ? msg.textContent + "；" : "") + findingText(f);
      state.marked.push(el);
      if (msg && msg.parentElement !== el) state.marked.push(msg.parentElement);
    } else {
      general.push(f);
    }
  }
  $("#findings-general").innerHTML = general.map((f) => `<div class="finding ${esc(f.severity)}"><code>${esc(f.place)}</code> ${esc(findingText(f))}</div>`).join("");
}

function scheduleValidate() {
  clearTimeout(state.timer);
  state.timer = setTimeout(validate, 600);
}

async function validate() {
  const seq = ++state.seq;
  status(t("checking"));
  const r = await api("POST", "/validate", submission());
  if (seq !== state.seq) return; // a newer check is under way
  if (!r.ok) { mark(r.data.findings || []); status(r.data.detail || t("failed"), "error"); return; }
  mark(r.data.findings);
  const n = r.data.findings.length;
  status(n ? t("invalid", n) : t("valid"), n ? "warn" : "ok");
}

// -- calculate, explain, verify ------------------------------------------------------------

// The report gives each figure at the decimals the rules declare (0.02600 tC/GJ keeps its zeros);
// only a trace's unrounded figure, held to 50 significant digits, loses its trailing zeros.
const trim = (v) => (typeof v === "string" && v.includes(".") && !/e/i.test(v) ? v.replace(/0+$/, "").replace(/\.$/, "") : v);

function figLink(place, value, unit) {
  return `<a href="#" class="figure" data-place="${esc(place)}" title="${esc(value)}">${esc(value)}${unit ? ` <small>${esc(unit)}</small>` : ""}</a>`;
}

function pageTitle(pid) { return pageSchema(pid)?.title || pid; }

function reportHtml(rep) {
  const tot = rep.totals;
  const cats = Object.entries(tot.by_category).map(([k, v]) => `<tr><td>${esc(t(k))}</td><td class="n">${esc(v.co2e)}</td><td class="n">${esc(v.share_percent)}</td></tr>`).join("");
  const gases = Object.entries(tot.by_gas).map(([g, v]) => `<tr><td>${esc(g)}</td><td class="n">${esc(v.mass)} ${esc(v.unit)}</td><td class="n">${esc(v.co2e)} tCO2e</td></tr>`).join("");
  const ems = rep.emissions.map((e) => {
    const place = `$.pages.${e.page}[${e.row}].${e.figure}`;
    const title = pageSchema(e.page)?.["x-computed"]?.[e.figure]?.title || e.figure;
    return `<tr><td>${esc(pageTitle(e.page))}</td><td class="n">${e.row + 1}</td><td>${esc(title)}</td><td>${esc(e.gas)}</td><td class="n">${figLink(place, e.co2e, "tCO2e")}</td></tr>`;
  }).join("");
  const pages = rep.pages.map((p) => {
    const comp = pageSchema(p.id)?.["x-computed"] || {};
    const ids = Object.keys(comp);
    const rows = p.rows.slice(0, 500).map((row, i) => `<tr><td class="n">${i + 1}</td>${ids.map((c) => `<td class="n">${row[c] !== undefined ? figLink(`$.pages.${p.id}[${i}].${c}`, row[c], comp[c]["x-unit"]) : ""}</td>`).join("")}</tr>`).join("");
    const sums = (p.summaries || []).map((s) => {
      const g = Object.entries(s.group || {}).map(([k, v]) => `[${k}=${v}]`).join("");
      const label = Object.values(s.group || {}).join(" · ");
      return `<tr><td>${esc(label)}</td><td>${Object.entries(s.values).map(([k, v]) => `${esc(k)} ${figLink(`$.pages.${p.id}.summary${g}.${k}`, v)}`).join("　")}</td></tr>`;
    }).join("");
    if (!ids.length && !sums) return "";
    return `<details class="page-result"${p.id === rep.emissions[0]?.page ? " open" : ""}><summary>${esc(pageTitle(p.id))}</summary>
      ${ids.length ? `<table><thead><tr><th>#</th>${ids.map((c) => `<th>${esc(comp[c].title)}</th>`).join("")}</tr></thead><tbody>${rows}</tbody></table>` : ""}
      ${sums ? `<h5>${esc(t("summaries"))}</h5><table class="sums"><tbody>${sums}</tbody></table>` : ""}</details>`;
  }).join("");
  return `<div class="total"><span>${esc(t("total"))}</span> ${figLinkTotal(tot)}</div>
    <p class="hint">${esc(t("click"))}</p>
    <div class="cols"><table><thead><tr><th>${esc(t("category"))}</th><th>tCO2e</th><th>${esc(t("share"))}</th></tr></thead><tbody>${cats}</tbody></table>
    <table><thead><tr><th>${esc(t("gas"))}</th><th>${esc(t("mass"))}</th><th>CO2e</th></tr></thead><tbody>${gases}</tbody></table></div>
    <h4>${esc(t("emissions"))}</h4>
    <table class="emissions"><thead><tr><th>${esc(t("page"))}</th><th>${esc(t("row"))}</th><th>${esc(t("figure"))}</th><th>${esc(t("gas"))}</th><th>tCO2e</th></tr></thead><tbody>${ems}</tbody></table>
    <h4>${esc(t("pages"))}</h4>${pages}`;
}

function figLinkTotal(tot) { return `<strong class="total-value">${esc(tot.total_co2e)}</strong> ${esc(tot.unit)}`; }

function fillComputed(rep) {
  for (const p of rep.pages) {
    const comp = pageSchema(p.id)?.["x-computed"] || {};
    p.rows.forEach((row, i) => {
      for (const c of Object.keys(comp)) {
        const el = state.cells.get(`$.pages.${p.id}[${i}].${c}`);
        if (el && row[c] !== undefined) el.innerHTML = figLink(`$.pages.${p.id}[${i}].${c}`, row[c], comp[c]["x-unit"]);
      }
    });
  }
}

function stopChecking() { // a pending as-you-type check must not overwrite what Calculate or Verify shows
  clearTimeout(state.timer);
  state.seq++;
}

async function calculate() {
  stopChecking();
  status(t("calculating"));
  const r = await api("POST", "/calculate", submission());
  if (!r.ok) {
    mark(r.data.findings || []);
    status(r.status === 422 ? t("refused") : r.data.detail || t("failed"), "error");
    document.querySelector(".bad")?.scrollIntoView({ behavior: "instant", block: "center" }); // the first to correct
    return;
  }
  state.report = r.data;
  mark(r.data.findings || []);
  $("#report").innerHTML = reportHtml(r.data);
  $("#results").hidden = false;
  fillComputed(r.data);
  status(`${t("calculated")}: ${r.data.totals.total_co2e} ${r.data.totals.unit}`, "ok");
  $("#results").scrollIntoView({ behavior: "instant", block: "start" });
}

function operandRow(o) {
  const orig = o.original ? `<div class="orig">${esc(t("original"))} ${esc(o.original.value)} ${esc(o.original.unit)}</div>` : "";
  const rule = o.rule ? `<div class="rule">${esc(o.rule[state.lang] || o.rule.en || "")}</div>` : "";
  const flag = o.verified === false ? ` <span class="unverified">${esc(t("unverified"))}</span>` : "";
  return `<tr><td>${esc(o.label?.[state.lang] || o.name)} <code>${esc(o.name)}</code></td><td class="n">${esc(o.value)}</td><td>${esc(o.unit === "1" ? "" : o.unit)}</td>
    <td>${esc(KIND[o.source] ? KIND[o.source][state.lang === "zh" ? 0 : 1] : o.source)}${flag}${orig}${rule}${o.note ? `<div class="note">${esc(o.note)}</div>` : ""}${o.citation ? `<div class="cite">${esc(o.citation)}</div>` : ""}</td></tr>`;
}

async function explain(place) {
  const r = await api("POST", `/explain?figure=${encodeURIComponent(place)}&lang=${state.lang}`, submission());
  const box = $("#explain-body");
  if (!r.ok) { box.innerHTML = `<p class="error">${esc(r.data.detail || t("failed"))}</p>`; $("#explain").hidden = false; return; }
  const f = r.data.figures[0];
  const rounding = f.rounding ? `<p><b>${esc(t("rounding"))}</b> ${esc(f.rounding.unrounded)} → ${esc(f.value)} (${state.lang === "zh" ? `四舍五入保留 ${f.rounding.decimals} 位小数` : `half up to ${f.rounding.decimals} decimals`})</p>` : "";
  // A figure the rules do not round is held to 50 significant digits: its trailing zeros say nothing.
  box.innerHTML = `<h3>${esc(f.label[state.lang] || f.id)}</h3><p class="place"><code>${esc(f.place)}</code></p>
    <p class="value"><span class="explained-value">${esc(f.rounding ? f.value : trim(f.value))}</span> ${esc(f.unit)}</p>
    <p><b>${esc(t("formula"))}</b> <code>${esc(f.formula)}</code></p>
    ${f.condition ? `<p><b>${esc(t("condition"))}</b> <code>${esc(f.condition)}</code></p>` : ""}${rounding}
    <h4>${esc(t("operands"))}</h4>
    <table><thead><tr><th></th><th>${esc(t("value"))}</th><th>${esc(t("unit"))}</th><th>${esc(t("source"))}</th></tr></thead><tbody>${f.operands.map(operandRow).join("")}</tbody></table>
    ${f.citation ? `<p class="cite"><b>${esc(t("citation"))}</b> ${esc(f.citation)} [${esc(f.ruleset)}]</p>` : ""}
    <pre>${esc(f.text)}</pre>`;
  $("#explain").hidden = false;
}

async function verify() {
  stopChecking();
  status(t("verifying"));
  const r = await api("POST", `/verify?format=json&lang=${state.lang}`, submission());
  if (!r.ok) { mark(r.data.findings || []); status(r.status === 422 ? t("refused") : r.data.detail || t("failed"), "error"); return; }
  const rep = r.data;
  const counts = rep.conclusion || {};
  const text = (m) => (m && typeof m === "object" ? m[state.lang] || m.en : m) || "";
  const sum = (rep.summary || []).map((x) => `<tr><td>${esc(x.label?.[state.lang] || x.category)}</td><td class="n">${esc(x.reported ?? "")}</td><td class="n">${esc(x.verified ?? "")}</td><td class="n">${esc(x.difference ?? "")}</td><td class="n">${esc(x.share_percent ?? "")}</td></tr>`).join("");
  const findings = rep.findings || [];
  $("#verify-out").innerHTML = `<p>${Object.entries(counts).map(([k, v]) => `<span class="count ${esc(k)}">${esc(t(k))}: ${esc(v)}</span>`).join(" ")}</p>
    <p><a href="#" id="verify-html">${esc(t("html"))}</a></p>
    ${sum ? `<table><thead><tr><th>${esc(t("category"))}</th><th>${esc(t("reported"))}</th><th>${esc(t("recomputed"))}</th><th>${esc(t("difference"))}</th><th>%</th></tr></thead><tbody>${sum}</tbody></table>` : ""}
    <table><thead><tr><th>${esc(t("severity"))}</th><th>${esc(t("place"))}</th><th>${esc(t("message"))}</th></tr></thead><tbody>
    ${findings.map((f) => `<tr class="${esc(f.severity)}"><td>${esc(t(f.severity))}</td><td><code>${esc(f.place)}</code></td><td>${esc(text(f.message))}${f.rule ? `<div class="rule">${esc(text(f.rule))}</div>` : ""}${f.citation ? `<div class="cite">${esc(f.citation)}</div>` : ""}</td></tr>`).join("")}</tbody></table>`;
  $("#verification").hidden = false;
  status(t("verified"), "ok");
  $("#verification").scrollIntoView({ behavior: "instant", block: "start" });
}

// -- allocation and surrender (POST /allocate, POST /comply) ------------------------------------
// Each figure of the plan's trace opens in the explain panel from the trace the answer carries.

function nodeHtml(f) {
  const rounding = f.rounding ? `<p><b>${esc(t("rounding"))}</b> ${esc(f.rounding.unrounded)} → ${esc(f.value)} (${state.lang === "zh" ? `四舍五入保留 ${f.rounding.decimals} 位小数` : `half up to ${f.rounding.decimals} decimals`})</p>` : "";
  return `<h3>${esc(f.label[state.lang] || f.id)}</h3><p class="place"><code>${esc(f.place)}</code></p>
    <p class="value"><span class="explained-value">${esc(trim(f.value))}</span> ${esc(f.unit)}</p>
    <p><b>${esc(t("formula"))}</b> <code>${esc(f.formula)}</code></p>
    ${f.condition ? `<p><b>${esc(t("condition"))}</b> <code>${esc(f.condition)}</code></p>` : ""}${rounding}
    ${f.operands.length ? `<h4>${esc(t("operands"))}</h4><table><thead><tr><th></th><th>${esc(t("value"))}</th><th>${esc(t("unit"))}</th><th>${esc(t("source"))}</th></tr></thead><tbody>${f.operands.map(operandRow).join("")}</tbody></table>` : ""}
    ${f.citation ? `<p class="cite"><b>${esc(t("citation"))}</b> ${esc(f.citation)} [${esc(f.ruleset)}]</p>` : ""}
    ${parts(f)}`;
}

function parts(f) { // the operands that are figures of the same trace, each opening in turn
  const base = f.place.slice(0, f.place.lastIndexOf(".") + 1);
  const links = f.operands.filter((o) => state.planNodes.has(base + o.name))
    .map((o) => `<li>${esc(o.label?.[state.lang] || o.name)} ${planLink(state.planNodes.get(base + o.name))}</li>`);
  return links.length ? `<h4>${esc(t("steps"))}</h4><ul class="rules">${links.join("")}</ul>` : "";
}

function planLink(f) {
  state.planNodes.set(f.place, f);
  return `<a href="#" class="figure plan-figure" data-plan-place="${esc(f.place)}">${esc(trim(f.value))}</a>`;
}

function complianceQuery() {
  const q = new URLSearchParams();
  for (const [id, name] of [["#c-allowances", "allowances"], ["#c-ccer", "ccer"], ["#c-banked", "banked"], ["#c-net-sold", "net_sold"]]) {
    const v = $(id).value.trim();
    if (v) q.append(name, v);
  }
  for (const line of $("#c-figures").value.split("\n")) if (line.trim()) q.append("figure", line.trim());
  return q;
}

function complianceHtml(a, c) {
  const plan = a.plan;
  for (const u of a.units) for (const n of u.trace) state.planNodes.set(n.place, n);
  const num = plan.sources.find((s) => s.key === "plan")?.number;
  const categorised = a.units.some((u) => u.category !== "all");
  const byId = (u, id) => u.trace.find((n) => n.id === id);
  const units = a.units.map((u) => `<tr><td>${esc(u.unit)}</td>${categorised ? `<td>${esc(u.category_label?.[state.lang] || u.category)}</td>` : ""}
    <td class="n">${planLink(byId(u, "allowance") || u.trace[u.trace.length - 1])}</td><td class="n">${esc(u.preallocation ?? "—")}</td><td class="n">${esc(trim(u.emissions))}</td></tr>`).join("");
  const total = `<tr><th>${esc(t("sum"))}</th>${categorised ? "<td></td>" : ""}<td class="n"><strong>${esc(a.total.allowance)}</strong></td><td class="n">${esc(a.total.preallocation ?? "—")}</td><td class="n">${esc(trim(a.total.emissions))}</td></tr>`;
  const labelOf = (key) => { // "figures.b_power" / "formulas.f_load" as its reader knows it
    const name = key.split(".").pop();
    for (const u of a.units) for (const n of u.trace) {
      if (n.id === name) return n.label[state.lang];
      const o = n.operands.find((x) => x.name === name);
      if (o) return o.label?.[state.lang] || name;
    }
    return name;
  };
  const unv = a.unverified.length ? `<p class="note"><span class="unverified">${esc(t("unverified"))}</span> ${esc(t("unverified_items"))}: ${esc(a.unverified.map(labelOf).join(state.lang === "zh" ? "、" : ", "))}</p>` : "";
  // A unit the plan does not allocate to (an EAF route under the steel plan) is left out with the reason
  const notes = (a.notes || []).map((n) => `<p class="note left-out">${esc(n[state.lang])}</p>`).join("");
  const steps = c.trace.map((n) => `<tr><td>${esc(n.label[state.lang])}</td><td class="n">${planLink(n)} <small>tCO2</small></td></tr>`).join("");
  const toBuy = c.figures.to_buy, surplus = c.figures.surplus;
  const rules = c.rules.map((r) => `<li>${esc(r.text[state.lang])} <span class="${r.applied ? "applied" : "not-applied"}">${esc(t(r.applied ? "applied" : "not_applied"))}</span>${r.verified ? "" : ` <span class="unverified">${esc(t("unverified"))}</span>`}<div class="cite">${esc(r.citation)}</div></li>`).join("");
  const dl = c.deadline ? `<p><b>${esc(t("deadline"))}</b> ${esc(c.deadline.date)}${c.deadline.verified ? "" : ` <span class="unverified">${esc(t("unverified"))}</span>`}<span class="cite"> ${esc(c.deadline.citation)}</span></p>` : "";
  return `<p class="plan">${esc(t("plan"))}: ${esc(plan.title[state.lang])}${num ? `（${esc(num)}）` : ""} <code>${esc(plan.id)}</code></p>
    <p class="to-buy">${esc(t("to_buy"))}: <strong class="${toBuy === "0" ? "none" : ""}" id="to-buy">${esc(toBuy)}</strong> tCO2${surplus !== "0" ? `　${esc(t("surplus"))}: <strong class="none">${esc(trim(surplus))}</strong> tCO2` : ""}</p>
    <p class="hint">${esc(t("click"))}</p>
    <h4>${esc(t("allowance"))}</h4>
    <table class="allocation"><thead><tr><th>${esc(plan.unit_label?.[state.lang] || t("unit_col"))}</th>${categorised ? `<th>${esc(t("unit_category"))}</th>` : ""}<th>${esc(t("allowance"))} tCO2</th><th>${esc(t("pre"))} tCO2</th><th>${esc(t("verified_emissions"))} tCO2</th></tr></thead><tbody>${units}${total}</tbody></table>${unv}${notes}
    <h4>${esc(t("obligation"))}</h4><table class="steps"><tbody>${steps}</tbody></table>
    <h4>${esc(t("rules"))}</h4><ul class="rules">${rules}</ul>${dl}`;
}

async function comply() {
  stopChecking();
  $("#compliance").hidden = false;
  status(t("complying"));
  const q = complianceQuery();
  const figures = new URLSearchParams([...q].filter(([k]) => k === "figure"));
  const [a, c] = await Promise.all([api("POST", `/allocate?${figures}`, submission()), api("POST", `/comply?${q}`, submission())]);
  state.planNodes = new Map();
  if (!a.ok || !c.ok) {
    const r = a.ok ? c : a;
    const findings = r.data.findings || [];
    mark(findings);
    $("#compliance-out").innerHTML = `<p class="error"><b>${esc(t("no_compliance"))}</b></p><ul class="rules">${(findings.length ? findings : [{ message: r.data.detail }]).map((f) => `<li><code>${esc(f.place || "")}</code> ${esc(findingText(f))}</li>`).join("")}</ul>`;
    status(findings.length ? `${t("no_compliance")}: ${findingText(findings[0])}` : r.data.detail || t("failed"), "error");
    $("#compliance").scrollIntoView({ behavior: "instant", block: "start" });
    return;
  }
  $("#compliance-out").innerHTML = complianceHtml(a.data, c.data);
  status(`${t("complied")}: ${t("to_buy")} ${c.data.figures.to_buy} tCO2`, "ok");
  $("#compliance").scrollIntoView({ behavior: "instant", block: "start" });
}

async function verifyHtml() {
  const r = await fetch(`/verify?format=html&lang=${state.lang}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(submission()) });
  const blob = new Blob([await r.text()], { type: "text/html" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `verification-${state.sector}-${state.year}.html`;
  a.click();
}

// -- sector, year, language, files ------------------------------------------------------------

async function loadForm(keepData) {
  status(t("loading"));
  const r = await api("GET", `/forms/${encodeURIComponent(state.sector)}?year=${state.year}&lang=${state.lang}`);
  if (!r.ok) { status(r.data.detail || t("failed"), "error"); return; }
  const old = keepData ? submission() : null;
  state.form = r.data;
  setDocument(old || { pages: { [state.form["x-page-order"][0]]: [{}] } });
  status("");
}

function setDocument(doc) {
  state.doc = { enterprise: { ...(doc.enterprise || {}) }, parameters: {}, pages: {} };
  for (const [k, v] of Object.entries(doc.parameters || {})) state.doc.parameters[k] = cellFrom(v);
  for (const pid of state.form["x-page-order"]) state.doc.pages[pid] = (doc.pages?.[pid] || []).map((r) => rowFrom(pid, r));
  for (const extra of ["calorie", "reported", "plan", "previous_plan", "evidence", "ruleset"]) if (doc[extra] !== undefined) state.doc[extra] = doc[extra];
  $("#results").hidden = true;
  $("#verification").hidden = true;
  $("#compliance").hidden = true;
  render();
}

async function chooseSector(sector, year) {
  state.sector = sector;
  const r = await api("GET", `/rulesets?sector=${encodeURIComponent(sector)}`);
  const now = new Date().getFullYear();
  const years = [];
  for (const rs of r.ok ? r.data : []) for (let y = rs.years.from; y <= (rs.years.to ?? now); y++) if (!years.includes(y)) years.push(y);
  years.sort((a, b) => b - a);
  $("#year").innerHTML = years.map((y) => `<option>${y}</option>`).join("");
  state.year = years.includes(year) ? year : years.includes(2022) ? 2022 : years[0];
  $("#year").value = String(state.year);
}

async function loadFile(file) {
  const text = await file.text();
  let doc;
  try { doc = parseExact(text); } catch (e) { status(`${file.name}: ${e.message}`, "error"); return; }
  if (doc.sector && state.sectors.some((s) => s.id === doc.sector)) {
    $("#sector").value = doc.sector;
    await chooseSector(doc.sector, parseInt(doc.year, 10));
  }
  const r = await api("GET", `/forms/${encodeURIComponent(state.sector)}?year=${state.year}&lang=${state.lang}`);
  if (!r.ok) { status(r.data.detail || t("failed"), "error"); return; }
  state.form = r.data;
  const started = performance.now();
  setDocument(doc);
  window.mrvLoadMs = performance.now() - started;
  status(t("loaded", file.name), "ok");
  validate();
}

function save() {
  const blob = new Blob([JSON.stringify(submission(), null, 2)], { type: "application/json" });
  const a = document.createElement("a");
  a.href = URL.createObjectURL(blob);
  a.download = `${state.sector}-${state.year}.json`;
  a.click();
}

// -- events: one listener per area --------------------------------------------------------------

function onInput(ev) {
  const el = ev.target;
  if (el.dataset.ent) { state.doc.enterprise[el.dataset.ent] = el.value; scheduleValidate(); return; }
  if (el.dataset.param) {
    const cell = state.doc.parameters[el.dataset.param] ||= { v: "", u: "" };
    cell[el.dataset.p] = el.value;
    scheduleValidate();
    return;
  }
  const tr = el.closest("tr[data-i]");
  const section = el.closest("section.page");
  if (!tr || !section || !el.dataset.f) return;
  const pid = section.dataset.page, i = +tr.dataset.i, fid = el.dataset.f;
  const row = state.doc.pages[pid][i];
  if (el.dataset.p) (row[fid] ||= { v: "", u: "" })[el.dataset.p] = el.value;
  else row[fid] = el.value;
  if (ev.type === "change") updateUnits(pid, tr, row);
  scheduleValidate();
}

function updateUnits(pid, tr, row) { // a unit that follows the fuel: the placeholders follow it too
  const props = pageSchema(pid).items.properties;
  for (const [fid, s] of Object.entries(props)) {
    if (!s["x-unit-by"]) continue;
    const input = tr.querySelector(`input.unit[data-f="${fid}"]`);
    if (input) input.placeholder = unitOf(s, row);
  }
}

function onClick(ev) {
  const planFig = ev.target.closest("a.plan-figure");
  if (planFig) {
    ev.preventDefault();
    $("#explain-body").innerHTML = nodeHtml(state.planNodes.get(planFig.dataset.planPlace));
    $("#explain").hidden = false;
    return;
  }
  const fig = ev.target.closest("a.figure");
  if (fig) { ev.preventDefault(); explain(fig.dataset.place); return; }
  const section = ev.target.closest("section.page");
  if (ev.target.matches("button.add") && section) {
    const pid = section.dataset.page;
    const rows = state.doc.pages[pid];
    const last = rows[rows.length - 1];
    const fresh = rowFrom(pid, {});
    if (last) for (const [k, v] of Object.entries(last)) if (typeof v === "string") fresh[k] = v; // carry the unit, fuel...
    rows.push(fresh);
    rerenderPage(pid);
    scheduleValidate();
  } else if (ev.target.matches("button.rm") && section) {
    state.doc.pages[section.dataset.page].splice(+ev.target.closest("tr").dataset.i, 1);
    rerenderPage(section.dataset.page);
    scheduleValidate();
  }
}

async function start() {
  const r = await api("GET", "/sectors");
  state.sectors = r.data.filter((s) => s.status === "ok");
  const fill = () => { $("#sector").innerHTML = state.sectors.map((s) => `<option value="${esc(s.id)}">${esc(s.name[state.lang])}</option>`).join(""); };
  fill();
  const first = state.sectors.find((s) => s.id === "general") ? "general" : state.sectors[0].id;
  $("#sector").value = first;
  await chooseSector(first, 2022);
  await loadForm(false);
  $("#sector").addEventListener("change", async (e) => { await chooseSector(e.target.value, state.year); await loadForm(false); });
  $("#year").addEventListener("change", async (e) => { state.year = +e.target.value; await loadForm(true); scheduleValidate(); });
  $("#lang").addEventListener("change", async (e) => {
    state.lang = e.target.value; const keep = state.sector; fill(); $("#sector").value = keep; await loadForm(true);
  });
  for (const area of [$("#envelope"), $("#pages")]) { area.addEventListener("input", onInput); area.addEventListener("change", onInput); }
  document.body.addEventListener("click", onClick);
  $("#calculate").addEventListener("click", calculate);
  $("#verify").addEventListener("click", verify);
  $("#comply").addEventListener("click", comply);
  $("#comply-run").addEventListener("click", comply);
  $("#save").addEventListener("click", save);
  $("#load").addEventListener("change", (e) => e.target.files[0] && loadFile(e.target.files[0]));
  $("#explain-close").addEventListener("click", () => { $("#explain").hidden = true; });
  $("#verify-out").addEventListener("click", (e) => { if (e.target.id === "verify-html") { e.preventDefault(); verifyHtml(); } });
  document.body.dataset.ready = "1"; // the browser test waits for this
}

start().catch((e) => status(`${t("failed")}: ${e.message}`, "error"));
