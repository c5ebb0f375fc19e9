// Field mode's service worker. It keeps nothing by itself: the steward's pages decide what
// goes into the "cg-field" cache (only after "This is my own phone", only their own
// buildings' pages), and this worker answers from that cache when the network does not.
// It never logs, and it never shows notifications: nothing of a member leaves the page.
"use strict";

var CACHE = "cg-field";

self.addEventListener("install", function () {
  self.skipWaiting();
});

self.addEventListener("activate", function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener("fetch", function (event) {
  var request = event.request;
  if (request.method !== "GET" || new URL(request.url).origin !== self.location.origin) return;
  event.respondWith(
    fetch(request).catch(function (error) {
      return caches.keys().then(function (names) {
        if (names.indexOf(CACHE) === -1) throw error;
        return caches.open(CACHE).then(function (cache) {
          return cache.match(request, { ignoreVary: true });
        }).then(function (kept) {
          if (kept) return kept;
          throw error;
        });
      });
    })
  );
});
