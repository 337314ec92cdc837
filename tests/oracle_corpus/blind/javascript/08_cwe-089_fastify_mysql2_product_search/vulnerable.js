import Fastify from 'fastify';
import mysql from 'mysql2/promise';

const pool = mysql.createPool({ uri: process.env.MYSQL_URL, connectionLimit: 10 });
const app = Fastify({ logger: true });

app.get('/products/search', async (request) => {
  const sku = String(request.query.sku || '');
  const category = String(request.query.category || '');
  const [rows] = await pool.query(
    `SELECT id, sku, name, price FROM products WHERE sku LIKE '${sku}%' AND category = '${category}' LIMIT 50`,
  );
  return rows;
});

export default app;
