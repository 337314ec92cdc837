const PLACEHOLDER = /\{\{\s*([^}]+?)\s*\}\}/g;

function renderTemplate(template, context) {
  return template.replace(PLACEHOLDER, (match, expr) => {
    const value = new Function('ctx', `with (ctx) { return ${expr}; }`)(context);
    return value == null ? '' : String(value);
  });
}

async function sendWelcomeEmail(mailer, tenant, user) {
  const subject = renderTemplate(tenant.templates.welcomeSubject, { user, tenant });
  const html = renderTemplate(tenant.templates.welcomeHtml, { user, tenant });
  await mailer.send({ to: user.email, from: tenant.fromAddress, subject, html });
}

module.exports = { renderTemplate, sendWelcomeEmail };
