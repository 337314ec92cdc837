from flask import Flask, render_template_string, request

app = Flask(__name__)


@app.errorhandler(404)
def page_not_found(error):
    template = f"""<!doctype html>
<title>Page not found</title>
<h1>Sorry, we couldn't find that page</h1>
<p>Nothing lives at <code>{request.path}</code>.</p>
<a href="/">Back to the home page</a>
"""
    return render_template_string(template), 404
