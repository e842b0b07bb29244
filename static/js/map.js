/* Maps of police zones and municipalities (Leaflet). Each element with `data-map` is a map; its data-*
   attributes say which GeoJSON layers to show, the tile URL (none: a blank background), its attribution and
   the translated labels. No inline script: the page passes everything through these attributes (CSP).
   A layer is fetched when it is first shown, so a hidden layer costs nothing. */
(function () {
  "use strict";

  var STYLES = {
    zones: { color: "#0b4f8a", weight: 2, fillOpacity: 0.08 },
    municipalities: { color: "#8a4b00", weight: 1, fillOpacity: 0.04, dashArray: "3" },
  };
  var BELGIUM = [[49.49, 2.54], [51.51, 6.41]];

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function popup(feature) {
    var props = feature.properties || {};
    var label = props.refnis ? props.name + " (" + props.refnis + ")" : (props.code ? props.code + " " : "") + props.name;
    return '<a href="' + escapeHtml(props.url) + '">' + escapeHtml(label) + "</a>";
  }

  /* A GeoJSON layer that fetches its features the first time it is added to the map. */
  function lazyLayer(url, style) {
    var layer = L.geoJSON(null, {
      style: function () { return style; },
      onEachFeature: function (feature, featureLayer) {
        featureLayer.bindPopup(popup(feature));
        if (feature.properties && feature.properties.name) {
          featureLayer.bindTooltip(escapeHtml(feature.properties.name), { sticky: true });
        }
      },
    });
    var loading = null;
    layer.load = function () {
      if (!loading) {
        loading = fetch(url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
          .then(function (response) {
            if (!response.ok) { throw new Error("HTTP " + response.status); }
            return response.json();
          })
          .then(function (data) { layer.addData(data); return layer; });
      }
      return loading;
    };
    layer.on("add", layer.load);
    return layer;
  }

  function initMap(element) {
    var data = element.dataset;
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false }).fitBounds(BELGIUM);
    L.control.zoom({ zoomInTitle: data.zoomInLabel || "+", zoomOutTitle: data.zoomOutLabel || "-" }).addTo(map);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.tileAttribution || "" }).addTo(map);
    }
    var overlays = {};
    var shown = [];
    [
      { key: "zones", url: data.zonesUrl, label: data.zonesLabel, hidden: false },
      { key: "municipalities", url: data.municipalitiesUrl, label: data.municipalitiesLabel,
        hidden: data.municipalitiesHidden !== undefined },
    ].forEach(function (spec) {
      if (!spec.url) { return; }
      var layer = lazyLayer(spec.url, STYLES[spec.key]);
      overlays[spec.label || spec.key] = layer;
      if (!spec.hidden) {
        layer.addTo(map);
        shown.push(layer.load());
      }
    });
    if (Object.keys(overlays).length > 1) {
      L.control.layers(null, overlays, { collapsed: false }).addTo(map);
    }
    Promise.all(shown).then(function (layers) {
      var bounds = null;
      layers.forEach(function (layer) {
        if (!layer.getLayers().length) { return; }
        bounds = bounds ? bounds.extend(layer.getBounds()) : layer.getBounds();
      });
      if (bounds && bounds.isValid()) { map.fitBounds(bounds, { padding: [10, 10] }); }
      element.setAttribute("data-loaded", "true");
    }).catch(function () {
      element.setAttribute("data-loaded", "error");
    });
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-map]").forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
