// Fixture for js-express-no-csrf: the same app with csurf installed.
const express = require('express');
const session = require('express-session');
const csrf = require('csurf');
const app = express();
app.use(session({ secret: process.env.SESSION_SECRET, resave: false, saveUninitialized: false }));
app.use(csrf());
// ok: js-express-no-csrf
app.post('/account/email', (req, res) => {
  req.session.user.email = req.body.email;
  res.redirect('/account');
});
