const express = require('express');
const fs = require('fs/promises');
const path = require('path');
const { requireLogin } = require('./auth');

const UPLOAD_ROOT = path.join(__dirname, 'uploads');
const router = express.Router();

router.delete('/attachments/:name', requireLogin, async (req, res, next) => {
  const userDir = path.join(UPLOAD_ROOT, String(req.user.id));
  const target = path.join(userDir, req.params.name);
  try {
    await fs.unlink(target);
    res.status(204).end();
  } catch (err) {
    if (err.code === 'ENOENT') return res.status(404).json({ error: 'not found' });
    next(err);
  }
});

module.exports = router;
