const express = require('express');
const { pool } = require('./db');
const { requireLogin } = require('./auth');

const router = express.Router();

router.post('/shows/:showId/bookings', requireLogin, express.json(), async (req, res, next) => {
  const seats = Number.parseInt(req.body.seats, 10);
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    const updated = await client.query(
      'UPDATE shows SET seats_left = seats_left - $1 WHERE id = $2 AND seats_left >= $1 RETURNING price_cents',
      [seats, req.params.showId],
    );
    if (updated.rowCount === 0) {
      await client.query('ROLLBACK');
      return res.status(409).json({ error: 'not enough seats left' });
    }
    const total = updated.rows[0].price_cents * seats;
    await client.query(
      'INSERT INTO bookings (show_id, user_id, seats, total_cents) VALUES ($1, $2, $3, $4)',
      [req.params.showId, req.user.id, seats, total],
    );
    await client.query('COMMIT');
    res.status(201).json({ seats, totalCents: total });
  } catch (err) {
    await client.query('ROLLBACK');
    next(err);
  } finally {
    client.release();
  }
});

module.exports = router;
