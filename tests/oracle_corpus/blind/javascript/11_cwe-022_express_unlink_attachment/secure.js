const express = require('express');
const fs = require('fs/promises');
const path = require('path');
const { requireLogin } = require('./auth');

const UPLOAD_ROOT = path.join(__dirname, 'uploads');
const router = express.Router();

router.delete('/attachments/:name', requireLogin, async (req, res, next) => {
  const userDir = path.resolve(UPLOAD_ROOT, String(req.user.id));
  const target = path.resolve(userDir, req.params.name);
  if (!target.startsWith(userDir + path.sep)) {
    return res.status(400).json({ error: 'invalid file name' });
  }
  try {
    await fs.unlink(target);
    res.status(204).end();
  } catch (err) {
    if (err.code === 'ENOENT') return res.status(404).json({ error: 'not found' });
    next(err);
  }
});

module.exports = router;
