const express = require('express');
const db = require('./db');

const router = express.Router();

router.post('/points/transfer', async (req, res) => {
  const amount = Number(req.body.amount);
  const to = String(req.body.to || '');
  if (!Number.isInteger(amount) || amount <= 0 || amount > 10000) {
    return res.status(400).json({ error: 'invalid amount' });
  }
  await db.transaction(async (tx) => {
    const sender = await tx.users.findForUpdate(req.user.id);
    if (sender.points < amount) {
      throw Object.assign(new Error('insufficient points'), { status: 400 });
    }
    await tx.users.addPoints(req.user.id, -amount);
    await tx.users.addPoints(to, amount);
  });
  res.json({ ok: true });
});

module.exports = router;
