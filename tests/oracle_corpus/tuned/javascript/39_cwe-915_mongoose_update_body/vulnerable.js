const express = require('express');
const User = require('../models/user');

const router = express.Router();

router.put('/me', async (req, res) => {
  const update = req.body;
  const user = await User.findByIdAndUpdate(req.user.id, update, { new: true, runValidators: true });
  res.json({ id: user.id, displayName: user.displayName, bio: user.bio });
});

module.exports = router;
