"""``python -m tests.providers.fake_server --port 8765``: run the fake providers for a dry run."""

from __future__ import annotations

import argparse
import time

from tests.providers.fake_server import FakeProviderServer


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake Fireworks/Together/OpenAI APIs on 127.0.0.1")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument(
        "--steps-per-poll",
        type=int,
        default=1,
        help="GETs a dataset needs before it turns READY",
    )
    args = parser.parse_args()
    server = FakeProviderServer(port=args.port)
    server.state.ready_after_gets = args.steps_per_poll
    server.state.page_size = 50
    server.start()
    print(f"fake providers on {server.url}  (Ctrl-C stops)")
    for name, url in server.base_urls.items():
        print(f"  {name.upper()}_BASE_URL={url}")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        server.stop()


if __name__ == "__main__":
    main()
