from flask import Flask, g, jsonify, request
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
db = SQLAlchemy(app)


class User(db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True)
    display_name = db.Column(db.String(80))
    bio = db.Column(db.Text)
    timezone = db.Column(db.String(40))
    avatar_url = db.Column(db.String(255))
    is_admin = db.Column(db.Boolean, default=False)


@app.patch("/api/profile")
def update_profile():
    user = db.session.get(User, g.user_id)
    for field, value in request.get_json().items():
        setattr(user, field, value)
    db.session.commit()
    return jsonify(id=user.id, display_name=user.display_name)
