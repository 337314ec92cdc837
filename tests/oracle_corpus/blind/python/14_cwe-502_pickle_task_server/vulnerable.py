import pickle
import queue
import socketserver
import struct

TASKS: "queue.Queue[dict]" = queue.Queue()
MAX_MESSAGE = 1 << 20


class TaskHandler(socketserver.StreamRequestHandler):
    def handle(self):
        while True:
            header = self.rfile.read(4)
            if len(header) < 4:
                return
            (length,) = struct.unpack("!I", header)
            if length > MAX_MESSAGE:
                return
            body = self.rfile.read(length)
            task = pickle.loads(body)
            TASKS.put(task)
            self.wfile.write(b"OK\n")


def serve(host: str, port: int) -> None:
    with socketserver.ThreadingTCPServer((host, port), TaskHandler) as server:
        server.serve_forever()
