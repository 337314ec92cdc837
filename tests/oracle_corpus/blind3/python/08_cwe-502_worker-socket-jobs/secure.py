"""Worker that executes jobs sent by the scheduler over TCP.

Frame format: 4-byte big-endian length, 32-byte HMAC-SHA256 tag, pickled job dict.
"""
import hashlib
import hmac
import logging
import os
import pickle
import socketserver
import struct
import subprocess

log = logging.getLogger("worker")

SHARED_KEY = os.environ["SCHEDULER_SHARED_KEY"].encode()
MAX_FRAME = 16 * 1024 * 1024
TAG_SIZE = 32


def rebuild_search_index(index_name: str) -> None:
    log.info("rebuilding index %s", index_name)
    subprocess.run(["/opt/search/bin/reindex", "--index", index_name], check=True)


def purge_cache(prefix: str = "") -> None:
    log.info("purging cache entries with prefix %r", prefix)


TASKS = {
    "rebuild_search_index": rebuild_search_index,
    "purge_cache": purge_cache,
}


def _recv_exact(sock, n: int) -> bytes:
    buf = bytearray()
    while len(buf) < n:
        chunk = sock.recv(n - len(buf))
        if not chunk:
            raise ConnectionError("connection closed mid-frame")
        buf.extend(chunk)
    return bytes(buf)


class JobHandler(socketserver.BaseRequestHandler):
    def handle(self) -> None:
        (length,) = struct.unpack("!I", _recv_exact(self.request, 4))
        if length > MAX_FRAME or length < TAG_SIZE:
            log.warning("rejecting frame of %d bytes from %s", length, self.client_address)
            return
        frame = _recv_exact(self.request, length)
        tag, body = frame[:TAG_SIZE], frame[TAG_SIZE:]
        expected = hmac.new(SHARED_KEY, body, hashlib.sha256).digest()
        if not hmac.compare_digest(tag, expected):
            log.warning("bad signature from %s", self.client_address)
            self.request.sendall(b"ERR signature\n")
            return

        job = pickle.loads(body)
        func = TASKS.get(job.get("task"))
        if func is None:
            self.request.sendall(b"ERR unknown task\n")
            return
        try:
            func(*job.get("args", ()), **job.get("kwargs", {}))
        except Exception:
            log.exception("job %s failed", job.get("id"))
            self.request.sendall(b"ERR failed\n")
        else:
            self.request.sendall(b"OK\n")


class WorkerServer(socketserver.ThreadingTCPServer):
    allow_reuse_address = True
    daemon_threads = True


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO)
    with WorkerServer(("0.0.0.0", 7070), JobHandler) as server:
        server.serve_forever()
