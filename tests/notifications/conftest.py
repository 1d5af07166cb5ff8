"""Fixtures for notifications: a real local HTTP server standing in for a WeCom/DingTalk robot, and the
real Celery worker (tests/celery_worker.py; pytest only honours pytest_plugins in the root conftest)."""

import json
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from tests.celery_worker import celery_worker, celery_worker_session  # noqa: F401


class _RobotHandler(BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        server = self.server
        with server.lock:
            server.received.append({"body": json.loads(body), "content_type": self.headers.get("Content-Type")})
        self.send_response(server.status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(json.dumps(server.answer).encode())

    def log_message(self, *args):
        pass


@pytest.fixture
def robot_server():
    """A real HTTP server on 127.0.0.1; set .status / .answer to make it fail; read .received."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _RobotHandler)
    server.lock = threading.Lock()
    server.received = []
    server.status = 200
    server.answer = {"errcode": 0, "errmsg": "ok"}
    server.url = f"http://127.0.0.1:{server.server_address[1]}/cgi-bin/webhook/send?key=test"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.fixture
def refused_url():
    """A URL on a port nobody listens on: connection refused."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/robot/send"
