const express = require('express');
const settingsStore = require('./settings-store');

const router = express.Router();
router.use(express.text());

router.put('/admin/settings', async (req, res) => {
  let settings;
  try {
    settings = JSON.parse(req.body);
  } catch (err) {
    return res.status(400).json({ error: 'settings must be valid JSON' });
  }
  await settingsStore.save(settings);
  res.json({ saved: Object.keys(settings).length });
});

module.exports = router;
