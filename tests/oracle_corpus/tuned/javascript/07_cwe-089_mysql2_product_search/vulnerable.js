const express = require('express');
const mysql = require('mysql2/promise');

const app = express();
const pool = mysql.createPool({ host: 'localhost', user: 'shop', database: 'shop', password: process.env.DB_PASSWORD });

app.get('/products', async (req, res) => {
  const term = req.query.q || '';
  const category = req.query.category || 'all';
  const [rows] = await pool.query(
    `SELECT id, name, price FROM products WHERE name LIKE '%${term}%' AND (category = '${category}' OR '${category}' = 'all')`
  );
  res.json(rows);
});

app.listen(3000);
