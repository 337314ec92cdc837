const express = require('express');
const User = require('./models/user');
const { requireLogin } = require('./auth');

const router = express.Router();

router.put('/me', requireLogin, express.json(), async (req, res, next) => {
  try {
    const user = await User.findByIdAndUpdate(req.user.id, req.body, { new: true, runValidators: true });
    res.json({ id: user.id, name: user.name, email: user.email, timezone: user.timezone });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
