from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """The five seed articles by their three-digit prefix: 000 rewrites the AP story 001."""
    return {p.name[:3]: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}
