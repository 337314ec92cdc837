import hashlib
import hmac
import os

from sqlalchemy import Column, DateTime, Integer, String, func
from sqlalchemy.orm import declarative_base

Base = declarative_base()


class User(Base):
    __tablename__ = "users"

    id = Column(Integer, primary_key=True)
    email = Column(String(255), unique=True, nullable=False)
    password_salt = Column(String(64), nullable=False)
    password_hash = Column(String(128), nullable=False)
    created_at = Column(DateTime, server_default=func.now())

    @staticmethod
    def _digest(password: str, salt: bytes) -> str:
        return hashlib.sha256(salt + password.encode("utf-8")).hexdigest()

    def set_password(self, password: str) -> None:
        salt = os.urandom(16)
        self.password_salt = salt.hex()
        self.password_hash = self._digest(password, salt)

    def check_password(self, password: str) -> bool:
        expected = self._digest(password, bytes.fromhex(self.password_salt))
        return hmac.compare_digest(expected, self.password_hash)


def register_user(session, email: str, password: str) -> User:
    if len(password) < 10:
        raise ValueError("password must be at least 10 characters")
    user = User(email=email.strip().lower())
    user.set_password(password)
    session.add(user)
    session.commit()
    return user
