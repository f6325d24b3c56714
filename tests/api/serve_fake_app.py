"""Launch the real app with the fake pipeline under uvicorn on a free port (tests only).

usage: python serve_fake_app.py DATA_DIR [KEY=VALUE ...]   -> prints "PORT <n>" once listening
(KEY=VALUE: extra Settings fields, e.g. api_key=..., max_queue=1; the service log goes to stderr)
"""

import logging.config
import socket
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parents[1]), str(HERE.parent)]

from api.app import create_app  # noqa: E402
from api.logs import log_config  # noqa: E402
from api.server import serve  # noqa: E402
from fake_pipeline import FakePipeline  # noqa: E402
from signavatar.settings import Settings  # noqa: E402


def main() -> None:
    extra = dict(arg.split("=", 1) for arg in sys.argv[2:])
    env = {"SIGNAVATAR_" + k.upper(): v for k, v in extra.items()}
    base = Settings.from_env(env)
    settings = Settings(**{**vars(base), "data_dir": Path(sys.argv[1]), "max_text_chars": 2000, "max_size": 256,
                           "workers": int(extra.get("workers", 2))})
    logging.config.dictConfig(log_config(settings.log_format, secrets=[settings.api_key, settings.editor_key]))
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    print(f"PORT {sock.getsockname()[1]}", flush=True)
    serve(create_app(settings, FakePipeline), settings, sockets=[sock])  # production's limits (api/server.py)


if __name__ == "__main__":
    main()
