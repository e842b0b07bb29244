/* Drawing the target area of a message on a Leaflet map: each click adds a corner, "undo" removes the last one,
   "clear" all of them; the polygon is written as GeoJSON (longitude, latitude) into the field named by the map's
   `data-input`, which the form posts. The municipalities' boundaries (`data-boundaries-url`) are drawn for
   reference. The map is built the first time its panel shows (compose.js announces the chosen target kind), so
   that Leaflet measures a visible element. Keyboard users and those without the map paste GeoJSON in the field.
   No inline script (CSP). */
(function () {
  "use strict";

  var BELGIUM = [[49.49, 2.54], [51.51, 6.41]];
  var BOUNDARY_STYLE = { color: "#8a4b00", weight: 2, fillOpacity: 0.04, dashArray: "4", interactive: false };
  var AREA_STYLE = { color: "#0b4f8a", weight: 3, fillOpacity: 0.2, interactive: false };

  function round(value) { return Math.round(value * 1e6) / 1e6; }

  /* The corners ([lat, lng]) of the polygon in the field, without the closing one; none when it holds no polygon. */
  function cornersFrom(text) {
    var geometry;
    try { geometry = JSON.parse(text); } catch (error) { return []; }
    if (geometry && geometry.type === "Feature") { geometry = geometry.geometry; }
    if (!geometry) { return []; }
    var ring = null;
    if (geometry.type === "Polygon") { ring = geometry.coordinates[0]; }
    if (geometry.type === "MultiPolygon") { ring = geometry.coordinates[0][0]; }
    if (!ring) { return []; }
    var corners = ring.map(function (point) { return [point[1], point[0]]; });
    if (corners.length > 1) {
      var first = corners[0], last = corners[corners.length - 1];
      if (first[0] === last[0] && first[1] === last[1]) { corners.pop(); }
    }
    return corners;
  }

  function toGeoJson(corners) {
    var ring = corners.map(function (corner) { return [round(corner[1]), round(corner[0])]; });
    ring.push(ring[0]);
    return JSON.stringify({ type: "Polygon", coordinates: [ring] });
  }

  function setup(element) {
    var data = element.dataset;
    var input = document.getElementById(data.input);
    var panel = element.closest("[data-target-kind]") || document;
    var status = document.getElementById("compose-map-status");
    var buttons = {
      undo: panel.querySelector('[data-map-action="undo"]'),
      clear: panel.querySelector('[data-map-action="clear"]'),
    };
    var corners = input ? cornersFrom(input.value) : [];
    var map = null;
    var drawn = null;

    function redraw(changed) {
      drawn.clearLayers();
      if (corners.length >= 3) {
        L.polygon(corners, AREA_STYLE).addTo(drawn);
      } else if (corners.length === 2) {
        L.polyline(corners, AREA_STYLE).addTo(drawn);
      }
      corners.forEach(function (corner) {
        L.circleMarker(corner, { radius: 5, color: "#0b4f8a", fillOpacity: 1, interactive: false }).addTo(drawn);
      });
      if (status) {
        status.textContent = (data.cornersLabel || "") + " " + corners.length +
          (corners.length > 0 && corners.length < 3 ? " — " + (data.tooFewLabel || "") : "");
      }
      if (changed && input) { input.value = corners.length >= 3 ? toGeoJson(corners) : ""; }
      if (buttons.undo) { buttons.undo.disabled = corners.length === 0; }
      if (buttons.clear) { buttons.clear.disabled = corners.length === 0; }
    }

    function build() {
      map = L.map(element, { scrollWheelZoom: false, zoomSnap: 0.25, zoomControl: false }).fitBounds(BELGIUM);
      L.control.zoom({ zoomInTitle: data.zoomInLabel || "+", zoomOutTitle: data.zoomOutLabel || "-" }).addTo(map);
      if (data.tileUrl) {
        L.tileLayer(data.tileUrl, { maxZoom: 19, attribution: data.tileAttribution || "" }).addTo(map);
      }
      var boundaries = L.geoJSON(null, { style: function () { return BOUNDARY_STYLE; }, interactive: false }).addTo(map);
      drawn = L.layerGroup().addTo(map);
      element.style.cursor = "crosshair";
      map.on("click", function (event) {
        corners.push([event.latlng.lat, event.latlng.lng]);
        redraw(true);
      });
      Object.keys(buttons).forEach(function (action) {
        var button = buttons[action];
        if (!button) { return; }
        button.hidden = false;
        button.addEventListener("click", function () {
          if (action === "undo") { corners.pop(); } else { corners = []; }
          redraw(true);
        });
      });
      if (input) {
        // A polygon pasted into the field is drawn as well.
        input.addEventListener("change", function () {
          corners = cornersFrom(input.value);
          redraw(false);
          if (corners.length >= 3) { map.fitBounds(L.latLngBounds(corners), { padding: [12, 12] }); }
        });
      }
      redraw(false);
      if (corners.length >= 3) { map.fitBounds(L.latLngBounds(corners), { padding: [12, 12] }); }
      if (!data.boundariesUrl) { element.setAttribute("data-loaded", "true"); return; }
      fetch(data.boundariesUrl, { credentials: "same-origin", headers: { Accept: "application/geo+json" } })
        .then(function (response) {
          if (!response.ok) { throw new Error("HTTP " + response.status); }
          return response.json();
        })
        .then(function (json) {
          boundaries.addData(json);
          var bounds = boundaries.getBounds();
          if (corners.length < 3 && bounds.isValid()) { map.fitBounds(bounds, { padding: [12, 12] }); }
          element.setAttribute("data-loaded", "true");
        })
        .catch(function () { element.setAttribute("data-loaded", "error"); });
    }

    document.addEventListener("compose:target-kind", function (event) {
      if (!event.detail || event.detail.kind !== "area" || element.offsetParent === null) { return; }
      if (map) { map.invalidateSize(); } else { build(); }
    });
  }

  function init() {
    if (typeof L === "undefined") { return; }
    document.querySelectorAll("[data-compose-map]").forEach(setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
