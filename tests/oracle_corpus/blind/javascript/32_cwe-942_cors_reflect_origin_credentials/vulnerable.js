const express = require('express');
const cors = require('cors');
const session = require('express-session');
const apiRoutes = require('./routes/api');

const app = express();

app.use(cors({
  origin: true,
  credentials: true,
  methods: ['GET', 'POST', 'PUT', 'DELETE'],
}));
app.use(session({
  secret: process.env.SESSION_SECRET,
  resave: false,
  saveUninitialized: false,
  cookie: { httpOnly: true, secure: true, sameSite: 'lax' },
}));
app.use(express.json());
app.use('/api', apiRoutes);

module.exports = app;
