// Google Analytics: this file and gtag.js are only in the page after an explicit opt-in (C34).
(function () {
  const id = document.currentScript.dataset.id;
  window.dataLayer = window.dataLayer || [];
  function gtag() {
    window.dataLayer.push(arguments);
  }
  gtag("js", new Date());
  gtag("config", id, { anonymize_ip: true });
})();
