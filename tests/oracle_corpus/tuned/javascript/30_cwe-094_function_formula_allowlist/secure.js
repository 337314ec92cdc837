const express = require('express');

const app = express();
app.use(express.json());
const FORMULA_RE = /^[0-9+\-*/(). ]{1,64}$/;

app.post('/formula', (req, res) => {
  const formula = String(req.body.formula || '');
  if (!FORMULA_RE.test(formula)) {
    return res.status(400).json({ error: 'only numbers and + - * / ( ) are allowed' });
  }
  try {
    const value = new Function(`return (${formula});`)();
    res.json({ value });
  } catch (err) {
    res.status(400).json({ error: 'invalid formula' });
  }
});

app.listen(3000);
