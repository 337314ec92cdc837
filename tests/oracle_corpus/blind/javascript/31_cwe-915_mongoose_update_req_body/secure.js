const express = require('express');
const User = require('./models/user');
const { requireLogin } = require('./auth');

const router = express.Router();
const UPDATABLE_FIELDS = ['name', 'timezone', 'avatarUrl', 'newsletter'];

router.put('/me', requireLogin, express.json(), async (req, res, next) => {
  const update = {};
  for (const field of UPDATABLE_FIELDS) {
    if (Object.prototype.hasOwnProperty.call(req.body, field)) update[field] = req.body[field];
  }
  try {
    const user = await User.findByIdAndUpdate(req.user.id, { $set: update }, { new: true, runValidators: true });
    res.json({ id: user.id, name: user.name, email: user.email, timezone: user.timezone });
  } catch (err) {
    next(err);
  }
});

module.exports = router;
