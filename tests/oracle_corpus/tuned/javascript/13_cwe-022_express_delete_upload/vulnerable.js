const express = require('express');
const fs = require('fs/promises');
const path = require('path');

const router = express.Router();
const UPLOAD_ROOT = path.resolve(__dirname, '..', 'uploads');

router.delete('/files/:name', async (req, res) => {
  const userDir = path.join(UPLOAD_ROOT, String(req.user.id));
  const target = path.join(userDir, req.params.name);
  try {
    await fs.unlink(target);
    res.status(204).end();
  } catch (err) {
    res.status(404).json({ error: 'no such file' });
  }
});

module.exports = router;
