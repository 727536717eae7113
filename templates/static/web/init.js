// GOV.UK Frontend's "JavaScript enabled" class and component set-up (an external file: the
// Content-Security-Policy allows no inline script). Every page works without it.
document.body.classList.add("js-enabled", "govuk-frontend-supported");
import("/static/vendor/govuk-frontend.min.js").then((m) => m.initAll()).catch(() => {});
