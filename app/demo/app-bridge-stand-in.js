// A local stand-in for App Bridge's `shopify` global, for the demo only: outside the Shopify
// admin the real script (from Shopify's CDN) cannot run. It provides what Perennial's pages use:
// idToken(), session-token auth on the app's own fetches, toasts, and a visible navigation menu.
(function () {
  if (window.shopify && window.shopify.__perennialDemo) return;
  var cached = null;
  function idToken() {
    if (cached && cached.expires > Date.now() + 5000) return Promise.resolve(cached.token);
    return originalFetch("/demo/session-token", { credentials: "same-origin" })
      .then(function (response) {
        return response.text();
      })
      .then(function (token) {
        cached = { token: token, expires: Date.now() + 50000 };
        return token;
      });
  }
  var originalFetch = window.fetch.bind(window);
  window.fetch = function (input, init) {
    var url = new URL(typeof input === "string" ? input : input.url || String(input), window.location.href);
    if (url.origin !== window.location.origin || url.pathname.indexOf("/demo/") === 0) {
      return originalFetch(input, init);
    }
    return idToken().then(function (token) {
      var headers = new Headers((init && init.headers) || (input instanceof Request ? input.headers : undefined));
      if (!headers.has("Authorization")) headers.set("Authorization", "Bearer " + token);
      return originalFetch(input, Object.assign({}, init, { headers: headers }));
    });
  };
  function toastShow(message) {
    var toast = document.createElement("div");
    toast.setAttribute("role", "status");
    toast.textContent = message;
    toast.style.cssText =
      "position:fixed;bottom:24px;left:50%;transform:translateX(-50%);background:#303030;color:#fff;" +
      "padding:10px 16px;border-radius:8px;font:14px system-ui;z-index:1000";
    document.body.appendChild(toast);
    setTimeout(function () {
      toast.remove();
    }, 3000);
  }
  var params = new URLSearchParams(window.location.search);
  window.shopify = {
    __perennialDemo: true,
    config: {
      apiKey: document.querySelector("script[data-api-key]")?.getAttribute("data-api-key"),
      shop: params.get("shop"),
      host: params.get("host"),
    },
    idToken: idToken,
    toast: { show: toastShow, hide: function () {} },
    loading: function () {},
    saveBar: { show: function () {}, hide: function () {}, toggle: function () {} },
  };
  var style = document.createElement("style");
  style.textContent =
    "ui-nav-menu{display:flex;gap:16px;padding:12px 20px;background:#1a1a1a;font:14px system-ui}" +
    "ui-nav-menu a{color:#fff;text-decoration:none}ui-nav-menu a[rel=home]{font-weight:600}";
  document.head.appendChild(style);
})();
