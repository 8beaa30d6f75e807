// Matomo, self-hosted: loaded only when configured and not switched off in the cookie banner.
// _pk_id lives 14 days after the last visit and _pk_ref 30 minutes (C32); the server masks two bytes of the IP (C33).
(function () {
  const config = document.currentScript.dataset;
  const base = config.url;
  const _paq = (window._paq = window._paq || []);
  _paq.push(["setVisitorCookieTimeout", Number(config.visitorTimeout)]);
  _paq.push(["setReferralCookieTimeout", Number(config.referralTimeout)]);
  _paq.push(["trackPageView"]);
  _paq.push(["enableLinkTracking"]);
  _paq.push(["setTrackerUrl", base + "matomo.php"]);
  _paq.push(["setSiteId", config.siteId]);
  const script = document.createElement("script");
  script.async = true;
  script.src = base + "matomo.js";
  document.head.appendChild(script);
})();
