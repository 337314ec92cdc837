import os

from flask import Flask, abort, jsonify, request
from flask_login import LoginManager, UserMixin, current_user, login_required
from flask_sqlalchemy import SQLAlchemy

app = Flask(__name__)
app.config["SQLALCHEMY_DATABASE_URI"] = os.environ.get("DATABASE_URL", "sqlite:///app.db")
app.config["SECRET_KEY"] = os.environ["SECRET_KEY"]

db = SQLAlchemy(app)
login_manager = LoginManager(app)


class User(UserMixin, db.Model):
    id = db.Column(db.Integer, primary_key=True)
    email = db.Column(db.String(255), unique=True, nullable=False)
    display_name = db.Column(db.String(80), nullable=False, default="")
    bio = db.Column(db.Text, nullable=False, default="")
    location = db.Column(db.String(120), nullable=False, default="")
    website = db.Column(db.String(255), nullable=False, default="")
    is_admin = db.Column(db.Boolean, nullable=False, default=False)
    email_verified = db.Column(db.Boolean, nullable=False, default=False)

    def to_dict(self) -> dict:
        return {
            "id": self.id,
            "email": self.email,
            "display_name": self.display_name,
            "bio": self.bio,
            "location": self.location,
            "website": self.website,
        }


@login_manager.user_loader
def load_user(user_id: str):
    return db.session.get(User, int(user_id))


PROFILE_FIELDS = {"display_name", "bio", "location", "website"}


@app.patch("/api/users/<int:user_id>")
@login_required
def update_user(user_id: int):
    if current_user.id != user_id:
        abort(403)
    user = db.session.get(User, user_id) or abort(404)

    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, description="expected a JSON object")

    for field, value in data.items():
        if field in PROFILE_FIELDS:
            setattr(user, field, value)

    db.session.commit()
    return jsonify(user.to_dict())
