const jwt = require('jsonwebtoken');

const JWT_SECRET = process.env.JWT_SECRET;

function authenticate(req, res, next) {
  const header = req.get('Authorization') || '';
  const [scheme, token] = header.split(' ');
  if (scheme !== 'Bearer' || !token) {
    return res.status(401).json({ error: 'missing bearer token' });
  }
  let payload;
  try {
    payload = jwt.verify(token, JWT_SECRET, { algorithms: ['HS256'] });
  } catch (err) {
    return res.status(401).json({ error: 'invalid token' });
  }
  if (!payload || !payload.sub) {
    return res.status(401).json({ error: 'invalid token' });
  }
  req.user = { id: payload.sub, role: payload.role || 'user' };
  return next();
}

module.exports = { authenticate };
