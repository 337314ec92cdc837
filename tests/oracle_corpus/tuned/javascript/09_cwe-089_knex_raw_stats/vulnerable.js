const express = require('express');
const knex = require('knex')({ client: 'pg', connection: process.env.DATABASE_URL });

const app = express();

app.get('/stats/signups', async (req, res) => {
  const since = req.query.since || '2024-01-01';
  try {
    const result = await knex.raw(
      `SELECT date_trunc('day', created_at) AS day, count(*) AS n FROM users WHERE created_at >= '${since}' GROUP BY 1 ORDER BY 1`
    );
    res.json(result.rows);
  } catch (err) {
    res.status(400).json({ error: 'bad request' });
  }
});

module.exports = app;
