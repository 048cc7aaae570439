import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_DATA = ROOT.parent / "shared" / "data"


@pytest.fixture(scope="session")
def seeds() -> dict[str, str]:
    """The five seed articles by their three-digit prefix: 000 rewrites the AP story 001."""
    return {p.name[:3]: p.read_text("utf-8") for p in sorted(SEEDS.glob("*.txt"))}


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """A client of a redis-server started on 127.0.0.1 and its URL, or a skip saying why there is none."""
    redis = pytest.importorskip("redis", reason="the redis client is not installed: pip install -e '.[dev]'")
    server = shutil.which("redis-server")
    if server is None:
        pytest.skip("redis-server is not installed: apt-get install redis-server (.ci/run does)")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    folder = tmp_path_factory.mktemp("redis")
    command = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    with subprocess.Popen([*command, "--dir", str(folder)], stdout=subprocess.DEVNULL) as process:
        url = f"redis://127.0.0.1:{port}/0"
        client = redis.Redis.from_url(url)
        deadline = time.monotonic() + 10
        while True:
            try:
                client.ping()
                break
            except redis.ConnectionError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    pytest.skip(f"redis-server did not start on 127.0.0.1:{port}")
                time.sleep(0.05)
        yield client, url
        client.close()
        process.terminate()


@pytest.fixture
def redis_url(redis_server):
    """The URL of the test redis-server, emptied."""
    client, url = redis_server
    client.flushdb()
    return url
