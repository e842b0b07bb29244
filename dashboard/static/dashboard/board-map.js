/* The dashboard's coverage map (Leaflet): one GeoJSON layer whose features carry their figures (`band`, the class
   of the legend; `networks`; for zones `share`). Everything comes through the element's data-* attributes (no inline
   script: CSP); the table below the map holds the same figures, so the map is only an enhancement. */
(function () {
  "use strict";

  var BELGIUM = [[49.49, 2.54], [51.51, 6.41]];

  function escapeHtml(text) {
    var div = document.createElement("div");
    div.textContent = text == null ? "" : String(text);
    return div.innerHTML;
  }

  function describe(props, data) {
    var text = escapeHtml(props.name) + "<br>" + escapeHtml(data.networksLabel) + ": " + escapeHtml(props.networks);
    if (props.level === "zone") {
      text += "<br>" + escapeHtml(data.shareLabel) + ": " + escapeHtml(props.covered) + "/" +
        escapeHtml(props.municipalities) + " (" + escapeHtml(Math.round(props.share)) + " %)";
    }
    return text;
  }

  function initMap(element) {
    var data = element.dataset;
    var colours = (data.colours || "").split(",");
    var map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false }).fitBounds(BELGIUM);
    L.control.zoom({ zoomInTitle: data.zoomInLabel || "+", zoomOutTitle: data.zoomOutLabel || "-" }).addTo(map);
    if (data.tileUrl) {
      L.tileLayer(data.tileUrl, { maxZoom: 18, attribution: data.tileAttribution || "" }).addTo(map);
    }
    var layer = L.geoJSON(null, {
      style: function (feature) {
        var band = (feature.properties && feature.properties.band) || 0;
        return { color: "#5b6775", weight: 1, fillColor: colours[band] || colours[0], fillOpacity: 0.8 };
      },
      onEachFeature: function (feature, featureLayer) {
        var props = feature.properties || {};
        featureLayer.bindTooltip(describe(props, data), { sticky: true });
        featureLayer.bindPopup('<a href="' + escapeHtml(props.url) + '">' + escapeHtml(props.name) + "</a>");
      },
    }).addTo(map);
    fetch(data.url, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
      .then(function (response) {
        if (!response.ok) { throw new Error("HTTP " + response.status); }
        return response.json();
      })
      .then(function (collection) {
        layer.addData(collection);
        if (layer.getLayers().length) { map.fitBounds(layer.getBounds(), { padding: [10, 10] }); }
        element.setAttribute("data-loaded", "true");
      })
      .catch(function () { element.setAttribute("data-loaded", "error"); });
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-board-map]").forEach(initMap);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
