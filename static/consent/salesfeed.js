// SalesFeed: loaded only after opt-in in the cookie banner; one first-party session cookie of 30 minutes (C31).
(function () {
  const config = document.currentScript.dataset;
  window.salesfeed = { id: config.id, sessionTimeout: Number(config.sessionTimeout) };
  const script = document.createElement("script");
  script.async = true;
  script.src = config.src;
  script.dataset.id = config.id;
  document.head.appendChild(script);
})();
