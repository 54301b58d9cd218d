"""gunicorn's threaded worker, with a deadline on every read from a client.

gunicorn's gthread worker waits for a new connection's first bytes without holding a thread,
but once a request has begun, a thread reads it with a blocking socket and no time limit: a
few dozen clients that send half a request and then nothing ("slowloris") hold every thread
and the server stops answering anyone (seen here: 20 such connections froze 2 workers of 4
threads). This worker gives each client socket an operating-system receive timeout
(SO_RCVTIMEO), which survives gunicorn's switches between blocking and non-blocking mode: a
client that goes READ_TIMEOUT seconds without sending a byte in the middle of a request is
disconnected and its thread freed. Legitimate browsers never pause that long mid-request.

It does not stop a client that trickles one byte every few seconds; a buffering proxy in front
(nginx, or the platform's load balancer) does, and the README says to use one.
"""

from __future__ import annotations

import logging
import os
import socket
import struct

from gunicorn.workers.gthread import ThreadWorker as _ThreadWorker

# Seconds without a byte, mid-request (IMPPLUS_READ_TIMEOUT changes it).
READ_TIMEOUT = int(os.environ.get("IMPPLUS_READ_TIMEOUT", "10"))


class _SlowClientNote(logging.Filter):
    """gunicorn logs the timeout as a socket error with a traceback; one line says it better
    (and keeps an attack from flooding the log with tracebacks)."""

    def filter(self, record: logging.LogRecord) -> bool:
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BlockingIOError) and record.msg == "Socket error processing request.":
            record.msg, record.args, record.exc_info = (
                "Disconnected a client that sent nothing for %d s in the middle of a request.",
                (READ_TIMEOUT,), None)
            record.levelno, record.levelname = logging.WARNING, "WARNING"
        return True


class ThreadWorker(_ThreadWorker):
    """gunicorn's gthread worker whose client sockets time out after READ_TIMEOUT seconds
    without a byte mid-request (gunicorn.conf.py's worker_class)."""

    def init_process(self):
        """gunicorn's set-up, with the one-line note for slow clients in the error log."""
        self.log.error_log.addFilter(_SlowClientNote())
        super().init_process()

    def enqueue_req(self, conn):
        """Give the client socket its receive deadline, then queue it as gunicorn does."""
        conn.sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO,
                             struct.pack("ll", READ_TIMEOUT, 0))
        super().enqueue_req(conn)
