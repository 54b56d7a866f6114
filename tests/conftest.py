import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


@pytest.fixture(scope="session")
def engine():
    from mrv_engine import Engine

    return Engine()


@pytest.fixture
def example():
    def load(name):
        return json.loads((EXAMPLES / name).read_text(encoding="utf-8"), parse_float=str)

    return load
