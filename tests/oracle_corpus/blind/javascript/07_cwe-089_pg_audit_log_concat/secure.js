const express = require('express');
const { Pool } = require('pg');
const { requireAccountMember } = require('./auth');

const pool = new Pool({ connectionString: process.env.DATABASE_URL });
const app = express();

app.get('/accounts/:accountId/audit', requireAccountMember, async (req, res, next) => {
  try {
    const accountId = Number.parseInt(req.params.accountId, 10);
    const { action } = req.query;
    const params = [accountId];
    let sql = 'SELECT id, action, actor, created_at FROM audit_log WHERE account_id = $1';
    if (action) {
      params.push(String(action));
      sql += ` AND action = $${params.length}`;
    }
    sql += ' ORDER BY created_at DESC LIMIT 200';
    const { rows } = await pool.query(sql, params);
    res.json(rows);
  } catch (err) {
    next(err);
  }
});

module.exports = app;
