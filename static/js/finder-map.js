/* The public finder's maps (Leaflet). `data-finder-map` elements: with `data-networks-url` the active networks
   (polygons, or markers at a municipality's centre), reloaded when the kind filter changes; with
   `data-click-form` a click fills the form's lat/lon and submits it. Boundary layers come from geography's
   GeoJSON endpoints and are fetched when first shown. No inline script (CSP). */
(function () {
  "use strict";

  var BELGIUM = [[49.49, 2.54], [51.51, 6.41]];
  var STYLES = {
    networks: { color: "#1b7a3a", weight: 2, fillOpacity: 0.25 },
    zones: { color: "#0b4f8a", weight: 2, fillOpacity: 0.04 },
    municipalities: { color: "#8a4b00", weight: 1, fillOpacity: 0.02, dashArray: "3" },
  };

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function fetchJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      });
  }

  function boundaryLayer(url, style) {
    var layer = L.geoJSON(null, {
      style: function () { return style; },
      interactive: false,
    });
    var loading = null;
    layer.on("add", function () {
      if (!loading) { loading = fetchJson(url).then(function (data) { layer.addData(data); }); }
    });
    return layer;
  }

  function networksLayer() {
    return L.geoJSON(null, {
      style: function () { return STYLES.networks; },
      pointToLayer: function (feature, latlng) {
        return L.circleMarker(latlng, { radius: 7, color: "#1b7a3a", fillOpacity: 0.7 });
      },
      onEachFeature: function (feature, layer) {
        var props = feature.properties || {};
        layer.bindPopup(escapeHtml(props.name) + " (" + escapeHtml(props.code) + ")");
        layer.bindTooltip(escapeHtml(props.name));
      },
    });
  }

  function initMap(element) {
    var data = element.dataset;
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false }).fitBounds(BELGIUM);
    L.control.zoom({ zoomInTitle: data.zoomInLabel || "+", zoomOutTitle: data.zoomOutLabel || "-" }).addTo(map);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.tileAttribution || "" }).addTo(map);
    }
    var overlays = {};
    if (data.zonesUrl) { overlays[data.zonesLabel || "zones"] = boundaryLayer(data.zonesUrl, STYLES.zones); }
    if (data.municipalitiesUrl) {
      overlays[data.municipalitiesLabel || "municipalities"] = boundaryLayer(data.municipalitiesUrl, STYLES.municipalities);
    }
    if (data.networksUrl) {
      var networks = networksLayer().addTo(map);
      overlays[data.networksLabel || "networks"] = networks;
      var load = function (kind) {
        element.setAttribute("data-loaded", "false");
        var url = data.networksUrl + (kind ? "?kind=" + encodeURIComponent(kind) : "");
        return fetchJson(url).then(function (collection) {
          networks.clearLayers();
          networks.addData(collection);
          element.setAttribute("data-count", String(collection.features.length));
          element.setAttribute("data-loaded", "true");
        }).catch(function () { element.setAttribute("data-loaded", "error"); });
      };
      load(data.kind || "");
      var select = document.querySelector("[data-kind-filter]");
      if (select) {
        select.addEventListener("change", function () {
          var url = new URL(window.location.href);
          if (select.value) { url.searchParams.set("kind", select.value); } else { url.searchParams.delete("kind"); }
          window.history.replaceState(null, "", url);
          load(select.value);
        });
      }
    } else {
      element.setAttribute("data-loaded", "true");
    }
    if (Object.keys(overlays).length) {
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    }
    if (data.clickForm) {
      var form = document.getElementById(data.clickForm);
      map.on("click", function (event) {
        if (!form) { return; }
        form.querySelector("[name=lat]").value = event.latlng.lat.toFixed(6);
        form.querySelector("[name=lon]").value = event.latlng.lng.toFixed(6);
        ["postal_code", "street", "number"].forEach(function (name) {
          var input = form.querySelector("[name=" + name + "]");
          if (input) { input.value = ""; }
        });
        form.submit();
      });
    }
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-finder-map]").forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
