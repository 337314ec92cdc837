import Fastify from 'fastify';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const app = Fastify({ logger: true });

app.get('/invoices/:id', async (request, reply) => {
  const customerId = request.headers['x-customer-id'];
  const { rows } = await pool.query(
    'SELECT id, number, total, issued_at FROM invoices WHERE id = $1 AND customer_id = $2',
    [request.params.id, customerId]
  );
  if (rows.length === 0) {
    return reply.code(404).send({ error: 'not found' });
  }
  return rows[0];
});

await app.listen({ port: 3000 });
