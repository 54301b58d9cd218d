"""gunicorn settings for production: `gunicorn -c gunicorn.conf.py`.

Every setting can be changed from the environment, so one image serves a laptop, a container
platform and a load test. The app is stateless (answers live in the signed session cookie), so
any number of these servers behind a load balancer serve the same users.
"""

import os
import secrets

wsgi_app = "webapp.wsgi:app"

# Where to listen. The container sets IMPPLUS_BIND=0.0.0.0:8000; anywhere else the default is
# loopback only, like `impplus serve`.
bind = [os.environ.get("IMPPLUS_BIND", "127.0.0.1:8000")]

# The work is CPU-bound (rules, templates, PDF), so one process per core; threads let a worker
# wait on a slow client's upload or keep-alive connection without holding up the others.
workers = int(os.environ.get("IMPPLUS_WORKERS") or os.cpu_count() or 2)
worker_class = "webapp.serving.ThreadWorker"  # gthread with a read deadline
threads = int(os.environ.get("IMPPLUS_THREADS", "4"))
keepalive = 5
timeout = 30
graceful_timeout = 20
backlog = 2048
# Recycle workers now and then, staggered, so that no slow growth can build up.
max_requests = 20000
max_requests_jitter = 2000
# Heartbeat files in memory, not on the container's disk.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None

# Request caps, before Flask sees anything (Flask then caps the body: MAX_CONTENT_LENGTH).
limit_request_line = 2048
limit_request_fields = 50
limit_request_field_size = 8190  # room for the session cookie (at most 4 KB) and the rest

# gunicorn 25+ opens a control socket in $HOME by default; the image has no use for it.
control_socket_disable = True

# The proxy in front (if any) tells us the request came over HTTPS; trust only the addresses
# given in IMPPLUS_TRUSTED_PROXIES (a comma-separated list; loopback by default).
forwarded_allow_ips = os.environ.get("IMPPLUS_TRUSTED_PROXIES", "127.0.0.1,::1")

# Logs go to stdout/stderr for the platform to collect. The access log holds the method, the
# path without its query string, the status, the size and the time taken: never a form, a
# cookie, a query string or a referrer, so no answer can reach a log.
accesslog = "-" if os.environ.get("IMPPLUS_ACCESS_LOG", "1") == "1" else None
errorlog = "-"
loglevel = os.environ.get("IMPPLUS_LOG_LEVEL", "info")
# Every quoted field of the access log and every message of the error log is escaped: a path
# with %0A, %0D or %00 cannot forge a line (webapp.serving.SafeLogger).
logger_class = "webapp.serving.SafeLogger"
access_log_format = '%(t)s "%(m)s %(U)s" %(s)s %(B)s %(M)sms'
proc_name = "impplus"

# Development over gunicorn without a key: one random key for every worker (set here, in the
# master, before the workers are forked). Each worker making its own broke sessions at random.
if os.environ.get("IMPPLUS_ENV") == "development" and not os.environ.get("IMPPLUS_SECRET_KEY"):
    os.environ["IMPPLUS_SECRET_KEY"] = secrets.token_hex(32)
