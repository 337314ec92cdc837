import bcrypt


def change_password(db, user_id: int, old_password: str, new_password: str) -> bool:
    """Replace the user's password if old_password is correct; return False otherwise."""
    row = db.execute("SELECT password_hash FROM users WHERE id = ?", (user_id,)).fetchone()
    if row is None:
        return False
    if not _check(old_password, row[0]):
        return False
    if len(new_password) < 10:
        raise ValueError("password must be at least 10 characters")
    db.execute("UPDATE users SET password_hash = ? WHERE id = ?", (_hash(new_password), user_id))
    db.commit()
    return True


def _hash(password: str) -> str:
    return bcrypt.hashpw(password.encode("utf-8"), bcrypt.gensalt(rounds=12)).decode("ascii")


def _check(password: str, stored: str) -> bool:
    return bcrypt.checkpw(password.encode("utf-8"), stored.encode("ascii"))
