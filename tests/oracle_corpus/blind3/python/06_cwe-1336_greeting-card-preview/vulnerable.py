from flask import Flask, render_template_string, request

app = Flask(__name__)

HEADLINES = {
    "birthday": "Happy Birthday",
    "wedding": "Congratulations",
    "thanks": "Thank You",
    "holiday": "Season's Greetings",
}


@app.route("/cards/preview", methods=["GET", "POST"])
def preview_card():
    recipient = request.values.get("to", "friend")
    sender = request.values.get("from", "")
    message = request.values.get("message", "")
    headline = HEADLINES.get(request.values.get("occasion", "birthday"), "Hello")

    template = f"""
    <!doctype html>
    <html>
      <head><title>{headline}, {recipient}!</title></head>
      <body>
        <div class="card">
          <h1>{headline}, {recipient}!</h1>
          <p class="message">{message}</p>
          <p class="from">&mdash; {sender}</p>
        </div>
      </body>
    </html>
    """
    return render_template_string(template)


if __name__ == "__main__":
    app.run(debug=False)
