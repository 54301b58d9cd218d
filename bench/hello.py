"""The hello-world baseline of bench/pages.py: the smallest Flask app, so that the benchmark
measures what our pages add to Flask."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello():
    return "Hello, world!"
