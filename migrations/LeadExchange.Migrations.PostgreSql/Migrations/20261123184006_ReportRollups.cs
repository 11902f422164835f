using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace LeadExchange.Migrations.PostgreSql.Migrations
{
    /// <inheritdoc />
    public partial class ReportRollups : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "ReportRollups",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    HourUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    AdvertiserId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    WebmasterId = table.Column<string>(type: "character varying(450)", maxLength: 450, nullable: false),
                    OfferId = table.Column<Guid>(type: "uuid", nullable: false),
                    NicheCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    RegionCode = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    LeadOrderId = table.Column<Guid>(type: "uuid", nullable: false),
                    GoalCode = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    SubSlot = table.Column<int>(type: "integer", nullable: false),
                    SubValue = table.Column<string>(type: "character varying(255)", maxLength: 255, nullable: false),
                    Currency = table.Column<string>(type: "character varying(3)", unicode: false, maxLength: 3, nullable: false),
                    Counters_Clicks = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ConversionCost = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ConversionPayout = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ConversionRevenue = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ConversionsApproved = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ConversionsPending = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ConversionsRejected = table.Column<long>(type: "bigint", nullable: false),
                    Counters_Leads = table.Column<long>(type: "bigint", nullable: false),
                    Counters_LeadsRejected = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ReturnedAmount = table.Column<long>(type: "bigint", nullable: false),
                    Counters_ReturnedSellerShare = table.Column<long>(type: "bigint", nullable: false),
                    Counters_Returns = table.Column<long>(type: "bigint", nullable: false),
                    Counters_Sales = table.Column<long>(type: "bigint", nullable: false),
                    Counters_SalesAmount = table.Column<long>(type: "bigint", nullable: false),
                    Counters_SalesConverted = table.Column<long>(type: "bigint", nullable: false),
                    Counters_SalesRevenue = table.Column<long>(type: "bigint", nullable: false),
                    Counters_SellerShare = table.Column<long>(type: "bigint", nullable: false),
                    Counters_UniqueClicks = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportRollups", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "ReportRollupStates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false),
                    ScannedUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    LeaseOwner = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    LeaseUntil = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_ReportRollupStates", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LeadSales_SoldAt",
                table: "LeadSales",
                column: "SoldAt");

            migrationBuilder.CreateIndex(
                name: "IX_LeadSales_UpdatedAt",
                table: "LeadSales",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Leads_CreatedAt",
                table: "Leads",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Disputes_DecidedAt",
                table: "Disputes",
                column: "DecidedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_CreatedAt",
                table: "Conversions",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Conversions_UpdatedAt",
                table: "Conversions",
                column: "UpdatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_Clicks_CreatedAt",
                table: "Clicks",
                column: "CreatedAt");

            migrationBuilder.CreateIndex(
                name: "IX_ReportRollups_AdvertiserId_SubSlot_HourUtc",
                table: "ReportRollups",
                columns: new[] { "AdvertiserId", "SubSlot", "HourUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_ReportRollups_HourUtc_SubSlot",
                table: "ReportRollups",
                columns: new[] { "HourUtc", "SubSlot" });

            migrationBuilder.CreateIndex(
                name: "IX_ReportRollups_WebmasterId_SubSlot_HourUtc",
                table: "ReportRollups",
                columns: new[] { "WebmasterId", "SubSlot", "HourUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "ReportRollups");

            migrationBuilder.DropTable(
                name: "ReportRollupStates");

            migrationBuilder.DropIndex(
                name: "IX_LeadSales_SoldAt",
                table: "LeadSales");

            migrationBuilder.DropIndex(
                name: "IX_LeadSales_UpdatedAt",
                table: "LeadSales");

            migrationBuilder.DropIndex(
                name: "IX_Leads_CreatedAt",
                table: "Leads");

            migrationBuilder.DropIndex(
                name: "IX_Disputes_DecidedAt",
                table: "Disputes");

            migrationBuilder.DropIndex(
                name: "IX_Conversions_CreatedAt",
                table: "Conversions");

            migrationBuilder.DropIndex(
                name: "IX_Conversions_UpdatedAt",
                table: "Conversions");

            migrationBuilder.DropIndex(
                name: "IX_Clicks_CreatedAt",
                table: "Clicks");
        }
    }
}
