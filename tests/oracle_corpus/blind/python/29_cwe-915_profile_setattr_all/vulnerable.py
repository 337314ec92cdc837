from flask import Blueprint, jsonify, request
from flask_login import current_user, login_required

from .models import db

bp = Blueprint("profile", __name__)


@bp.route("/api/profile", methods=["PATCH"])
@login_required
def update_profile():
    data = request.get_json(silent=True) or {}
    user = current_user._get_current_object()
    for field, value in data.items():
        if hasattr(user, field):
            setattr(user, field, value)
    db.session.commit()
    return jsonify({"id": user.id, "display_name": user.display_name, "bio": user.bio})
