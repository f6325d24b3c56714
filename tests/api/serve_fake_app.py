"""Launch the real app with the fake pipeline under uvicorn on a free port (tests only).

usage: python serve_fake_app.py DATA_DIR   -> prints "PORT <n>" once listening
"""

import socket
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]

import uvicorn  # noqa: E402
from fake_pipeline import FakePipeline  # noqa: E402

from api.app import create_app  # noqa: E402
from signavatar.settings import Settings  # noqa: E402


def main() -> None:
    settings = Settings(data_dir=Path(sys.argv[1]), max_text_chars=2000, max_size=256, workers=2)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    config = uvicorn.Config(create_app(settings, FakePipeline), log_level="warning", lifespan="on")
    uvicorn.Server(config).run(sockets=[sock])


if __name__ == "__main__":
    main()
