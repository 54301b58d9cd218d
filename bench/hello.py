"""The hello-world baseline of bench/load.sh: the smallest Flask app, served by the same
gunicorn config as ours, so the load test measures what our pages add to Flask and gunicorn."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
