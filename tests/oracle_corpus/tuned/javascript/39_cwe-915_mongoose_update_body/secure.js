const express = require('express');
const User = require('../models/user');

const router = express.Router();
const EDITABLE = ['displayName', 'bio', 'avatarUrl', 'timezone'];

router.put('/me', async (req, res) => {
  const update = {};
  for (const field of EDITABLE) {
    if (field in req.body) update[field] = req.body[field];
  }
  const user = await User.findByIdAndUpdate(req.user.id, update, { new: true, runValidators: true });
  res.json({ id: user.id, displayName: user.displayName, bio: user.bio });
});

module.exports = router;
