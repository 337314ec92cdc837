import express from 'express';
import { listAttendees } from './events.js';
import { requireOrganiser } from './auth.js';

const router = express.Router();

router.get('/events/:eventId/attendees.csv', requireOrganiser, async (req, res, next) => {
  try {
    const attendees = await listAttendees(req.params.eventId);
    const lines = ['name,email,company,ticket_type'];
    for (const a of attendees) {
      lines.push([a.name, a.email, a.company, a.ticketType].join(','));
    }
    res.set('Content-Type', 'text/csv; charset=utf-8');
    res.attachment(`attendees-${req.params.eventId}.csv`);
    res.send(`${lines.join('\r\n')}\r\n`);
  } catch (err) {
    next(err);
  }
});

export default router;
