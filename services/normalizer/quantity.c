/* quantity.c - the vocabulary table. A new quantity is one line here and one in
 * docs/quantities.md.
 * SPDX-License-Identifier: MIT */
#include <ctype.h>
#include <stddef.h>
#include <string.h>

#include "quantity.h"

const struct quantity quantity_table[] = {
    /* Device health */
    { "battery", "%", 0, "battery state of charge", "Device.batteryLevel (÷100)" },
    { "battery_voltage", "V", 0, "battery voltage", NULL },
    { "battery_low", "1", 0, "1 when the device reports a low battery", NULL },
    { "rssi", "dBm", 0, "received signal strength of the uplink at the best gateway",
      "Device.rssi" },
    { "snr", "dB", 0, "signal-to-noise ratio of the uplink at the best gateway", NULL },
    { "link_margin", "dB", 0,
      "demodulation margin of the device's last DevStatusReq answer, as its network server "
      "reported it",
      NULL },
    { "f_cnt", "1", 0, "LoRaWAN uplink frame counter (gaps between uplinks are lost frames)",
      NULL },
    { "device_temperature", "°C", 0, "temperature inside the device (MCU, CPU)", NULL },
    { "tilt", "1", 0, "1 when the device reports it is tilted or out of its mounting position",
      NULL },
    { "tilt_angle", "°", 0, "tilt angle of the device from its mounting position", NULL },
    { "latitude", "°", 0, "WGS84 latitude reported by the device (GNSS)", "location" },
    { "longitude", "°", 0, "WGS84 longitude reported by the device (GNSS)", "location" },

    /* Sound: L + frequency weighting (A, C, Z) + time weighting (F, S, I) or eq, max */
    { "LAF", "dB(A)", 0, "A-weighted sound level, fast time weighting, at the end of the interval",
      NULL },
    { "LAS", "dB(A)", 0, "A-weighted sound level, slow time weighting", "NoiseLevelObserved.LAS" },
    { "LAI", "dB(A)", 0, "A-weighted sound level, impulse time weighting", NULL },
    { "LCF", "dB(C)", 0, "C-weighted sound level, fast", NULL },
    { "LCS", "dB(C)", 0, "C-weighted sound level, slow", NULL },
    { "LCI", "dB(C)", 0, "C-weighted sound level, impulse", NULL },
    { "LZF", "dB(Z)", 0, "unweighted (Z) sound level, fast", NULL },
    { "LZS", "dB(Z)", 0, "unweighted (Z) sound level, slow", NULL },
    { "LZI", "dB(Z)", 0, "unweighted (Z) sound level, impulse", NULL },
    { "LAeq", "dB(A)", 0, "A-weighted equivalent continuous sound level over the interval",
      "NoiseLevelObserved.LAeq" },
    { "LCeq", "dB(C)", 0, "C-weighted equivalent continuous sound level over the interval", NULL },
    { "LZeq", "dB(Z)", 0, "unweighted equivalent continuous sound level over the interval", NULL },
    { "LAFmax", "dB(A)", 0, "maximum A-weighted fast sound level over the interval",
      "NoiseLevelObserved.LAmax" },
    { "LASmax", "dB(A)", 0, "maximum A-weighted slow sound level over the interval",
      "NoiseLevelObserved.LAmax" },
    { "LAImax", "dB(A)", 0, "maximum A-weighted impulse sound level over the interval", NULL },
    { "LCFmax", "dB(C)", 0, "maximum C-weighted fast sound level", NULL },
    { "LCSmax", "dB(C)", 0, "maximum C-weighted slow sound level", NULL },
    { "LCImax", "dB(C)", 0, "maximum C-weighted impulse sound level", NULL },
    { "LZFmax", "dB(Z)", 0, "maximum unweighted fast sound level", NULL },
    { "LZSmax", "dB(Z)", 0, "maximum unweighted slow sound level", NULL },
    { "LZImax", "dB(Z)", 0, "maximum unweighted impulse sound level", NULL },
    { "LAmax", "dB(A)", 0,
      "maximum A-weighted sound level over the interval (time weighting "
      "not stated by the device)",
      "NoiseLevelObserved.LAmax" },
    { "LA10", "dB(A)", 0, "A-weighted level exceeded 10 % of the interval", NULL },
    { "LA50", "dB(A)", 0, "A-weighted level exceeded 50 % of the interval", NULL },
    { "LA90", "dB(A)", 0, "A-weighted level exceeded 90 % of the interval (background)", NULL },

    /* Air and environment */
    { "temperature", "°C", 0, "temperature of the medium the use case measures (air, water, waste)",
      "WasteContainer.temperature, WaterQualityObserved.temperature, WeatherObserved.temperature" },
    { "humidity", "%", 0, "relative humidity", "WeatherObserved.relativeHumidity (÷100)" },
    { "illuminance", "lx", 0, "light level", "WeatherObserved.illuminance" },
    { "motion", "1", 0, "motion detections (PIR) during the interval", NULL },
    { "co2", "ppm", 0, "carbon dioxide concentration", "AirQualityObserved.co2" },
    { "pressure", "bar", 0, "pressure measured by the sensor (relative to air for vented gauges)",
      NULL },

    /* Waste */
    { "distance", "m", 0, "distance from an ultrasonic sensor to the surface below it",
      "FloodMonitoring.measuredDistance" },
    { "fill_level", "%", 0, "how full a container is, 0 empty to 100 full (derived)",
      "WasteContainer.fillingLevel (÷100)" },
    { "full_alarm", "1", 0, "1 when the device reports its container full", NULL },
    { "fire_alarm", "1", 0, "1 when the device reports a fire (temperature) alarm",
      "WasteContainer.status = burning" },

    /* Water */
    { "water_level", "m", 0, "water height above the gauge zero (derived)",
      "WaterObserved.height, FloodMonitoring.currentLevel" },
    { "water_depth", "m", 0, "water column above a submerged sensor", NULL },
    { "conductivity", "µS/cm", 0, "electrical conductivity of the water",
      "WaterQualityObserved.conductivity" },
    { "freezing", "1", 0, "1 when the sensor reports freezing conditions", NULL },
    { "ph", "pH", 0, "acidity of the water", "WaterQualityObserved.pH" },
    { "turbidity", "NTU", 0, "turbidity of the water", "WaterQualityObserved.turbidity" },
    { "dissolved_oxygen", "mg/L", 0, "dissolved oxygen in the water", "WaterQualityObserved.O2" },
    { "valid_samples", "1", 0, "valid samples behind one reading", NULL },

    /* Counting */
    { "count_ltr", "1", 0, "objects that passed left to right during the interval", NULL },
    { "count_rtl", "1", 0, "objects that passed right to left during the interval", NULL },
    { "count_ltr_total", "1", 0, "objects counted left to right since the device started", NULL },
    { "count_rtl_total", "1", 0, "objects counted right to left since the device started", NULL },
    { "bike_count_in", "1", 0, "bicycles counted inbound during the interval (derived)",
      "TrafficFlowObserved.intensity (vehicleType bicycle, laneDirection forward)" },
    { "bike_count_out", "1", 0, "bicycles counted outbound during the interval (derived)",
      "TrafficFlowObserved.intensity (vehicleType bicycle, laneDirection backward)" },
    { "pedestrian_count_in", "1", 0, "pedestrians counted inbound during the interval (derived)",
      "CrowdFlowObserved.peopleCount (direction inbound)" },
    { "pedestrian_count_out", "1", 0, "pedestrians counted outbound during the interval (derived)",
      "CrowdFlowObserved.peopleCount (direction outbound)" },
    { "solar_power", "W", 0, "power delivered by the device's solar panel", NULL },

    /* Lighting */
    { "voltage", "V", 0, "mains voltage (RMS)", "Streetlight.voltage" },
    { "current", "A", 0, "current drawn (RMS)", "Streetlight.current" },
    { "power", "W", 0, "active power drawn", "Streetlight.powerConsumption" },
    { "power_factor", "1", 0, "power factor, 0 to 1", "Streetlight.powerFactor" },
    { "energy", "kWh", 0, "active energy counter (cumulative)",
      "StreetlightControlCabinet.energyConsumed" },
    { "load_side_power", "W", 0, "active power at the lamp driver's output", NULL },
    { "load_side_energy", "kWh", 0, "energy counter at the lamp driver's output (cumulative)",
      NULL },
    { "dim_level", "%", 1,
      "dimming level of the lamp, 0 off to 100 full (indexed by DALI "
      "address when a controller drives several)",
      "Streetlight.illuminanceLevel (÷100)" },
    { "lamp_on", "1", 1, "1 when the lamp is lit", "Streetlight.powerState" },
    { "lamp_failure", "1", 1, "1 when the lamp or its driver reports a failure",
      "Streetlight.status = defectiveLamp" },
    { "lamp_on_time", "h", 1, "cumulative time the lamp has been lit", NULL },
    { "driver_operating_time", "h", 1, "cumulative time the lamp driver has been powered", NULL },
    { "switch", "1", 1, "state of a switched circuit, 1 on, 0 off (switch_1 .. switch_8)", NULL },
    { "schedule_deviation", "%", 0,
      "gap in points between a lamp's reported level and its schedule's (mue-lighting)", NULL },
    { "relay_closed", "1", 0, "1 when the controller's internal relay is closed", NULL },
    { "light_sensor", "1", 0, "raw value of the controller's light sensor (LDR)", NULL },
    { "lamp_error_alert", "1", 0, "1 when the controller raises a lamp error alert", NULL },
    { "over_current_alert", "1", 0, "1 when the controller raises an over-current alert", NULL },
    { "under_voltage_alert", "1", 0, "1 when the controller raises an under-voltage alert", NULL },
    { "over_voltage_alert", "1", 0, "1 when the controller raises an over-voltage alert", NULL },
    { "low_power_factor_alert", "1", 0, "1 when the controller raises a low power factor alert",
      NULL },
    { NULL, NULL, 0, NULL, NULL },
};

const struct quantity *quantity_find(const char *name)
{
    size_t len;

    if (name == NULL)
        return NULL;
    len = strlen(name);
    for (const struct quantity *q = quantity_table; q->name != NULL; q++) {
        size_t blen = strlen(q->name);
        if (len == blen && memcmp(name, q->name, len) == 0)
            return q;
        if (q->indexed && len > blen + 1 && memcmp(name, q->name, blen) == 0 && name[blen] == '_') {
            size_t i = blen + 1;
            while (i < len && isdigit((unsigned char)name[i]))
                i++;
            if (i == len && len - blen - 1 <= 3)
                return q;
        }
    }
    return NULL;
}
