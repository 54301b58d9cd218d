# IMP+ Check / Vérif PMI+: the production image.
#
#   docker build -t impplus .
#   docker run --rm -p 8000:8000 -e IMPPLUS_SECRET_KEY="$(python3 -c 'import secrets; print(secrets.token_hex(32))')" impplus
#
# gunicorn serves the app from gunicorn.conf.py as an unprivileged user. The image holds no
# state: answers live in the visitor's signed cookie, so replicas need only share the key.
# For a reproducible build, pin the base image by digest: --build-arg PYTHON=python:3.11-slim-bookworm@sha256:…

ARG PYTHON=python:3.11-slim-bookworm

# ---------------------------------------------------------------- build: dependencies, catalogues
FROM ${PYTHON} AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1 PYTHONDONTWRITEBYTECODE=1
# Every package pinned and checked against its hash; nothing is resolved at build time.
COPY requirements.lock /tmp/requirements.lock
RUN python -m venv /venv \
 && /venv/bin/pip install --require-hashes --no-deps --only-binary=:all: -r /tmp/requirements.lock
WORKDIR /app
COPY gunicorn.conf.py ./
COPY webapp ./webapp
COPY static ./static
COPY translations ./translations
COPY scripts/i18n.py ./scripts/i18n.py
# The catalogues are compiled here from the .po files (Flask-Babel reads only .mo files), and
# the byte code ahead of time, so the running container writes nothing.
RUN rm -f translations/*/LC_MESSAGES/*.mo \
 && /venv/bin/python scripts/i18n.py compile \
 && /venv/bin/python -m compileall -q webapp /venv/lib

# ---------------------------------------------------------------- run
FROM ${PYTHON}
ENV PATH=/venv/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    IMPPLUS_ENV=production \
    IMPPLUS_BIND=0.0.0.0:8000
# The app writes nothing, so its user may write nowhere: not even /tmp and /var/tmp, which the
# base leaves open to all (scripts/test-image.sh checks it as that user).
RUN groupadd --system --gid 10001 impplus \
 && useradd --system --uid 10001 --gid impplus --home-dir /nonexistent --shell /usr/sbin/nologin impplus \
 && find / -xdev -perm -0002 ! -type l -exec chmod o-w {} +
COPY --from=build /venv /venv
COPY --from=build /app /app
WORKDIR /app
USER impplus:impplus
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=3s --start-period=10s --retries=3 \
  CMD ["python", "-c", "import urllib.request, sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"]
CMD ["gunicorn", "-c", "gunicorn.conf.py"]
