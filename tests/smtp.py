"""A small SMTP server on 127.0.0.1 for fault tests: records the letters it accepts and can hold one
reply (to the end of DATA, or to QUIT) until the test has done what it needs at that moment."""

from __future__ import annotations

import email
import socket
import threading
from email.message import Message


class SmtpServer:
    def __init__(self) -> None:
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.port: int = self._listener.getsockname()[1]
        self.accepted: list[Message] = []
        # "data": hold the answer to a letter's end (it is not accepted); "quit": accept the letter,
        # then hold the answer to QUIT. Only the first letter is held; the next ones pass.
        self.hold_once: str | None = None
        self.holding = threading.Event()
        self.release = threading.Event()
        self._lock = threading.Lock()
        self._closed = False
        threading.Thread(target=self._serve, name="test-smtp", daemon=True).start()

    def close(self) -> None:
        self._closed = True
        self.release.set()
        self._listener.close()

    def message_ids(self) -> list[str]:
        with self._lock:
            return [str(message["Message-ID"]) for message in self.accepted]

    def _serve(self) -> None:
        while not self._closed:
            try:
                client, _ = self._listener.accept()
            except OSError:
                return
            threading.Thread(target=self._session, args=(client,), daemon=True).start()

    def _hold(self, point: str) -> bool:
        with self._lock:
            if self.hold_once != point:
                return False
            self.hold_once = None
        self.holding.set()
        self.release.wait(timeout=300)
        return True

    def _session(self, client: socket.socket) -> None:
        with client, client.makefile("rb") as reader:

            def reply(text: str) -> None:
                client.sendall(text.encode() + b"\r\n")

            try:
                reply("220 test.local ESMTP")
                while line := reader.readline():
                    verb = line.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
                    if verb in ("EHLO", "HELO"):
                        reply("250 test.local")
                    elif verb in ("MAIL", "RCPT", "RSET", "NOOP"):
                        reply("250 OK")
                    elif verb == "DATA":
                        reply("354 End data with <CR><LF>.<CR><LF>")
                        data = b""
                        while (chunk := reader.readline()) not in (b".\r\n", b""):
                            data += chunk[1:] if chunk.startswith(b"..") else chunk
                        if self._hold("data"):
                            return  # the sender is gone: the letter was never accepted
                        with self._lock:
                            self.accepted.append(email.message_from_bytes(data))
                        reply("250 accepted")
                    elif verb == "QUIT":
                        if self._hold("quit"):
                            return
                        reply("221 bye")
                        return
                    else:
                        reply("502 not implemented")
            except OSError:
                return
